package dev.clawbots.persistence;

import com.typesafe.config.Config;
import dev.clawbots.region.TopicRegionFeed;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The subscriber side of the fan-out on one node. A node subscribes to a region's channels when its
 * first local client enters the region and unsubscribes when the last one leaves (or stops); while
 * subscribed, one {@link RegionSubscription} hands every event to every local client in the region
 * once, in {@code seq} order, filling gaps from the Redis stream or the journal.
 *
 * <p>Without Redis ({@code link} empty: the embedded default) the cluster's pub/sub carries the
 * feed and the journal fills gaps, with nothing logged about a Redis that was never configured.
 */
public final class FeedSubscriptions {

  /** Tuning: how often a quiet region is checked for a lost last event, and the fetch size. */
  public record Settings(Duration sweep, int batch) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), 500);

    public Settings {
      if (sweep.isNegative() || sweep.isZero() || batch < 1) {
        throw new IllegalArgumentException(
            "clawbots.fan-out: sweep must be positive and batch at least 1, not "
                + sweep
                + " and "
                + batch);
      }
    }

    /** {@code clawbots.fan-out} ({@code redis.conf}). */
    public static Settings from(Config config) {
      return new Settings(
          config.getDuration("clawbots.fan-out.sweep"), config.getInt("clawbots.fan-out.batch"));
    }
  }

  private sealed interface Command {}

  private record Enter(
      String regionId, ActorRef<FeedDelivery> client, long afterSeq, boolean positions)
      implements Command {}

  private record Leave(String regionId, ActorRef<FeedDelivery> client) implements Command {}

  private record ClientStopped(ActorRef<FeedDelivery> client) implements Command {}

  private record LinkChanged(boolean up) implements Command {}

  private static final AtomicLong instances = new AtomicLong();

  private final ActorRef<Command> guardian;
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

  /** Where a channel's messages go, and whether they are events (or else positions). */
  private record Route(ActorRef<RegionSubscription.Command> subscription, boolean events) {}

  // Channel name to the subscription it feeds; read on Redis's I/O thread.
  private final Map<String, Route> routes = new ConcurrentHashMap<>();

  /**
   * @param link the node's Redis link, empty when Redis is not configured
   * @param keys the names of channels and streams, under the configured prefix
   * @param currentSeq the region's seq now, where a new subscription starts
   */
  public FeedSubscriptions(
      ActorSystem<?> system,
      TopicRegionFeed cluster,
      Optional<RedisLink> link,
      RedisKeys keys,
      Function<String, CompletionStage<Long>> currentSeq,
      Settings settings) {
    EventBackfill journal = new JournalBackfill(system);
    EventBackfill stream =
        link.<EventBackfill>map(l -> new StreamBackfill(l, keys))
            .orElse(
                (region, after, limit) ->
                    CompletableFuture.failedFuture(new IllegalStateException("no Redis")));
    RegionSubscription.Sources sources =
        new RegionSubscription.Sources(
            cluster,
            stream,
            journal,
            () -> link.map(RedisLink::isUp).orElse(false),
            currentSeq,
            settings.sweep(),
            settings.batch());
    this.guardian =
        system.systemActorOf(
            guardian(sources, link, keys),
            "feed-subscriptions-" + instances.incrementAndGet(),
            Props.empty());
    link.ifPresent(
        l -> {
          l.onMessage(
              (channel, message) -> {
                Route to = routes.get(channel);
                if (to != null) {
                  to.subscription().tell(new RegionSubscription.FromRedis(to.events(), message));
                }
              });
          l.onStateChange(up -> guardian.tell(new LinkChanged(up)));
        });
  }

  /**
   * {@code client} receives {@code regionId}'s feed from about now until it leaves or stops: from
   * where the region stands when the subscription asks it, so events journaled while the
   * subscription starts may count as history. A client that must not miss one (an agent after its
   * join) enters with the seq it knows instead.
   */
  public void enter(String regionId, ActorRef<FeedDelivery> client) {
    guardian.tell(new Enter(regionId, client, -1, false));
  }

  /**
   * {@code client} receives {@code regionId}'s events after {@code afterSeq}, then its feed until
   * it leaves or stops: what it missed first, fetched from the journal, then live, with no gap and
   * no event twice.
   */
  public void enter(String regionId, ActorRef<FeedDelivery> client, long afterSeq) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be 0 or more, not " + afterSeq);
    }
    guardian.tell(new Enter(regionId, client, afterSeq, false));
  }

  /**
   * As {@link #enter(String, ActorRef, long)}, and {@code client} also receives the region's
   * positions each tick ({@link FeedDelivery.Moved}). Only clients that draw the region (a
   * spectator's scene) ask for them: agents' sockets have no use for them, and were handed ten a
   * second each, parsed and sent for nothing.
   */
  public void enterWithPositions(String regionId, ActorRef<FeedDelivery> client, long afterSeq) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be 0 or more, not " + afterSeq);
    }
    guardian.tell(new Enter(regionId, client, afterSeq, true));
  }

  /** The regions this node is subscribed to now. */
  public Set<String> regions() {
    return Set.copyOf(subscribed);
  }

  /** The Redis channels this node is subscribed to now. */
  Set<String> channels() {
    return Set.copyOf(routes.keySet());
  }

  public void leave(String regionId, ActorRef<FeedDelivery> client) {
    guardian.tell(new Leave(regionId, client));
  }

  private Behavior<Command> guardian(
      RegionSubscription.Sources sources, Optional<RedisLink> link, RedisKeys keys) {
    return Behaviors.setup(
        context -> {
          Map<String, ActorRef<RegionSubscription.Command>> subscriptions = new HashMap<>();
          Map<String, Set<ActorRef<FeedDelivery>>> clientsByRegion = new HashMap<>();
          Map<ActorRef<FeedDelivery>, Set<String>> regionsByClient = new HashMap<>();
          AtomicLong generation = new AtomicLong();

          Function<Leave, Void> leave =
              m -> {
                Set<ActorRef<FeedDelivery>> clients = clientsByRegion.get(m.regionId());
                if (clients == null || !clients.remove(m.client())) {
                  return null;
                }
                ActorRef<RegionSubscription.Command> subscription = subscriptions.get(m.regionId());
                subscription.tell(new RegionSubscription.Leave(m.client()));
                Set<String> regions = regionsByClient.get(m.client());
                regions.remove(m.regionId());
                if (regions.isEmpty()) {
                  regionsByClient.remove(m.client());
                  context.unwatch(m.client());
                }
                if (clients.isEmpty()) {
                  clientsByRegion.remove(m.regionId());
                  subscriptions.remove(m.regionId());
                  for (String channel : channels(keys, m.regionId())) {
                    routes.remove(channel);
                    link.ifPresent(l -> l.unsubscribe(channel));
                  }
                  subscribed.remove(m.regionId());
                  context.stop(subscription);
                }
                return null;
              };

          return Behaviors.receive(Command.class)
              .onMessage(
                  Enter.class,
                  m -> {
                    ActorRef<RegionSubscription.Command> subscription =
                        subscriptions.computeIfAbsent(
                            m.regionId(),
                            id -> {
                              ActorRef<RegionSubscription.Command> s =
                                  context.spawn(
                                      RegionSubscription.create(id, sources),
                                      URLEncoder.encode("region-" + id, StandardCharsets.UTF_8)
                                          + "-"
                                          + generation.incrementAndGet());
                              link.ifPresent(
                                  l -> {
                                    for (String channel : channels(keys, id)) {
                                      routes.put(
                                          channel, new Route(s, channel.equals(keys.feed(id))));
                                      l.subscribe(channel);
                                    }
                                  });
                              // Last: a region is reported subscribed once its channels are.
                              subscribed.add(id);
                              return s;
                            });
                    if (clientsByRegion
                        .computeIfAbsent(m.regionId(), id -> new HashSet<>())
                        .add(m.client())) {
                      subscription.tell(
                          new RegionSubscription.Enter(m.client(), m.afterSeq(), m.positions()));
                      if (!regionsByClient.containsKey(m.client())) {
                        context.watchWith(m.client(), new ClientStopped(m.client()));
                      }
                      regionsByClient
                          .computeIfAbsent(m.client(), c -> new HashSet<>())
                          .add(m.regionId());
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Leave.class,
                  m -> {
                    leave.apply(m);
                    return Behaviors.same();
                  })
              .onMessage(
                  ClientStopped.class,
                  m -> {
                    for (String region :
                        Set.copyOf(regionsByClient.getOrDefault(m.client(), Set.of()))) {
                      leave.apply(new Leave(region, m.client()));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  LinkChanged.class,
                  m -> {
                    subscriptions
                        .values()
                        .forEach(s -> s.tell(new RegionSubscription.LinkChanged(m.up())));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private static Set<String> channels(RedisKeys keys, String regionId) {
    return Set.of(keys.feed(regionId), keys.positions(regionId));
  }
}
