package dev.clawbots.persistence;

import dev.clawbots.region.FeedEvent;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.region.WireJson;
import dev.clawbots.region.WirePositions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One node's subscription to one region's feed, shared by every local client in that region. It
 * hears the region on Redis and on the cluster's pub/sub at once (the region publishes on one of
 * them, depending on whether Redis is up) and hands each event to its clients once, in {@code seq}
 * order. A gap in {@code seq} (a message lost in a switch, an outage, or by a topic new on this
 * node) holds back what follows until the missing events are fetched: from the Redis stream first,
 * from the journal when the stream cannot close the gap. A region that falls silent is checked
 * every {@code sweep} so that a lost last event is found without waiting for the next.
 */
final class RegionSubscription extends AbstractBehavior<RegionSubscription.Command> {

  sealed interface Command {}

  /**
   * {@code client} wants the region's events after {@code afterSeq}, or from now on when it is
   * negative. Events it asks for that the subscription has already handed on are fetched for it
   * alone, before its live ones. With {@code positions} it also receives each tick's positions.
   */
  record Enter(ActorRef<FeedDelivery> client, long afterSeq, boolean positions)
      implements Command {}

  record Leave(ActorRef<FeedDelivery> client) implements Command {}

  /** A message on one of the region's Redis channels. */
  record FromRedis(boolean event, String json) implements Command {}

  record LinkChanged(boolean up) implements Command {}

  private record FromCluster(TopicRegionFeed.FeedMessage message) implements Command {}

  private record Baseline(long seq) implements Command {}

  private record BaselineFailed(Throwable cause) implements Command {}

  private record Filled(List<FeedEvent> events, boolean fromJournal) implements Command {}

  private record FillFailed(Throwable cause) implements Command {}

  private record CaughtUp(ActorRef<FeedDelivery> client, List<FeedEvent> events)
      implements Command {}

  private record CatchUpFailed(ActorRef<FeedDelivery> client, Throwable cause) implements Command {}

  private enum Sweep implements Command {
    INSTANCE
  }

  /** Where a subscription learns what it needs beyond the live feed. */
  record Sources(
      TopicRegionFeed cluster,
      EventBackfill stream,
      EventBackfill journal,
      BooleanSupplier streamUp,
      Function<String, CompletionStage<Long>> currentSeq,
      Duration sweep,
      int batch) {}

  /** How many events may wait behind a gap before the gap is given up as unfillable. */
  static final int MAX_PENDING = 10_000;

  private final String regionId;
  private final Sources sources;
  private final Map<ActorRef<FeedDelivery>, Cursor> clients = new HashMap<>();
  private final TreeMap<Long, FeedEvent> pending = new TreeMap<>();
  private final ActorRef<TopicRegionFeed.FeedMessage> clusterAdapter;
  // The highest seq handed to clients; unknown (-1) until the region has said where it stands.
  private long lastSeq = -1;
  // How many clients want positions: none, and a tick's positions are not even read.
  private int positionsWanted;
  private boolean filling;
  private boolean heardSinceSweep;
  // The journal is to be asked at the next chance, not only the stream: once when a region falls
  // quiet (its last event may have reached neither channel nor stream), and after Redis comes or
  // goes (what was published in the switch may have gone to the side nobody heard).
  private boolean journalDue;

  /**
   * Where one client stands: the last seq it was given, and while it catches up on events from
   * before it entered, the live ones held back until it has them.
   */
  private static final class Cursor {
    long given;
    List<FeedEvent> held;
    final boolean positions;

    Cursor(long given, boolean catchingUp, boolean positions) {
      this.given = given;
      this.held = catchingUp ? new ArrayList<>() : null;
      this.positions = positions;
    }
  }

  static Behavior<Command> create(String regionId, Sources sources) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new RegionSubscription(context, timers, regionId, sources)));
  }

  private RegionSubscription(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String regionId,
      Sources sources) {
    super(context);
    this.regionId = regionId;
    this.sources = sources;
    this.clusterAdapter =
        context.messageAdapter(TopicRegionFeed.FeedMessage.class, FromCluster::new);
    sources.cluster().subscribe(regionId, clusterAdapter);
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, sources.sweep());
    askBaseline();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Enter.class, this::onEnter)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(CaughtUp.class, this::onCaughtUp)
        .onMessage(CatchUpFailed.class, this::onCatchUpFailed)
        .onMessage(Retry.class, this::onRetry)
        .onMessage(FromRedis.class, this::onRedis)
        .onMessage(FromCluster.class, this::onCluster)
        .onMessage(Baseline.class, m -> onBaseline(m.seq()))
        .onMessage(BaselineFailed.class, this::onBaselineFailed)
        .onMessage(Filled.class, this::onFilled)
        .onMessage(FillFailed.class, this::onFillFailed)
        .onMessage(Sweep.class, m -> onSweep())
        .onMessage(LinkChanged.class, this::onLinkChanged)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> onEnter(Enter m) {
    if (lastSeq < 0 && m.afterSeq() >= 0) {
      // The client knows where it stands: no need to wait for the region to say.
      lastSeq = pending.isEmpty() ? m.afterSeq() : Math.min(m.afterSeq(), pending.firstKey() - 1);
      drain();
    }
    boolean behind = lastSeq >= 0 && m.afterSeq() >= 0 && m.afterSeq() < lastSeq;
    Cursor cursor =
        new Cursor(m.afterSeq() >= 0 ? m.afterSeq() : Math.max(lastSeq, -1), behind, m.positions());
    clients.put(m.client(), cursor);
    countPositionsWanted();
    if (behind) {
      catchUp(m.client(), cursor);
    }
    return this;
  }

  private void catchUp(ActorRef<FeedDelivery> client, Cursor cursor) {
    getContext()
        .pipeToSelf(
            sources.journal().after(regionId, cursor.given, sources.batch()),
            (events, failure) ->
                failure == null
                    ? new CaughtUp(client, events)
                    : new CatchUpFailed(client, failure));
  }

  private Behavior<Command> onCaughtUp(CaughtUp m) {
    Cursor cursor = clients.get(m.client());
    if (cursor == null || cursor.held == null) {
      return this;
    }
    for (FeedEvent event : m.events()) {
      if (event.seq() > cursor.given && event.seq() <= lastSeq) {
        cursor.given = event.seq();
        m.client().tell(new FeedDelivery.Event(event));
      }
    }
    if (cursor.given < lastSeq && !m.events().isEmpty()) {
      catchUp(m.client(), cursor);
    } else {
      List<FeedEvent> held = cursor.held;
      cursor.held = null;
      held.forEach(e -> give(m.client(), cursor, e));
    }
    return this;
  }

  private Behavior<Command> onCatchUpFailed(CatchUpFailed m) {
    Cursor cursor = clients.get(m.client());
    if (cursor != null && cursor.held != null) {
      getContext()
          .getLog()
          .warn(
              "region {}: a client's catch-up failed ({}); trying again",
              regionId,
              m.cause().toString());
      getContext().scheduleOnce(sources.sweep(), getContext().getSelf(), new Retry(m.client()));
    }
    return this;
  }

  private record Retry(ActorRef<FeedDelivery> client) implements Command {}

  private Behavior<Command> onRetry(Retry m) {
    Cursor cursor = clients.get(m.client());
    if (cursor != null && cursor.held != null) {
      catchUp(m.client(), cursor);
    }
    return this;
  }

  private static void give(ActorRef<FeedDelivery> client, Cursor cursor, FeedEvent event) {
    if (event.seq() > cursor.given) {
      cursor.given = event.seq();
      client.tell(new FeedDelivery.Event(event));
    }
  }

  private Behavior<Command> onLeave(Leave m) {
    clients.remove(m.client());
    countPositionsWanted();
    return this;
  }

  private Behavior<Command> onRedis(FromRedis m) {
    try {
      if (m.event()) {
        offer(WireJson.read(m.json(), FeedEvent.class));
      } else if (positionsWanted > 0) {
        deliver(new FeedDelivery.Moved(WireJson.read(m.json(), WirePositions.class)));
      }
    } catch (IllegalArgumentException unreadable) {
      // Someone else wrote to our channel. The seq check finds any event this hid.
      getContext()
          .getLog()
          .warn("ignored a message on {}'s channel: {}", regionId, unreadable.getMessage());
    }
    return this;
  }

  private Behavior<Command> onCluster(FromCluster m) {
    if (m.message() instanceof TopicRegionFeed.EventPublished e) {
      FeedEvent.of(e.event()).ifPresent(this::offer);
    } else if (m.message() instanceof TopicRegionFeed.AgentsMoved a && positionsWanted > 0) {
      deliver(new FeedDelivery.Moved(WirePositions.of(a.regionId(), a.tick(), a.moved())));
    }
    return this;
  }

  private void offer(FeedEvent event) {
    heardSinceSweep = true;
    journalDue = true;
    if (lastSeq >= 0 && event.seq() <= lastSeq) {
      return;
    }
    pending.putIfAbsent(event.seq(), event);
    if (lastSeq >= 0) {
      drain();
    }
  }

  /** Hands on what follows {@code lastSeq} without a gap, and fetches what a gap hides. */
  private void drain() {
    while (!pending.isEmpty() && pending.firstKey() == lastSeq + 1) {
      FeedEvent next = pending.pollFirstEntry().getValue();
      lastSeq = next.seq();
      clients.forEach(
          (client, cursor) -> {
            if (cursor.held != null) {
              cursor.held.add(next);
            } else {
              give(client, cursor, next);
            }
          });
    }
    if (pending.size() > MAX_PENDING) {
      long from = pending.firstKey();
      getContext()
          .getLog()
          .error(
              "region {}: events {}..{} could not be fetched; going on from {}",
              regionId,
              lastSeq + 1,
              from - 1,
              from);
      lastSeq = from - 1;
      drain();
    } else if (!pending.isEmpty()) {
      fill(true);
    }
  }

  private void countPositionsWanted() {
    positionsWanted = (int) clients.values().stream().filter(c -> c.positions).count();
  }

  /** Positions, to the clients that asked for them. */
  private void deliver(FeedDelivery delivery) {
    clients.forEach(
        (client, cursor) -> {
          if (cursor.positions) {
            client.tell(delivery);
          }
        });
  }

  private void askBaseline() {
    getContext()
        .pipeToSelf(
            sources.currentSeq().apply(regionId),
            (seq, failure) -> failure == null ? new Baseline(seq) : new BaselineFailed(failure));
  }

  private Behavior<Command> onBaseline(long seq) {
    if (lastSeq >= 0) {
      if (seq > lastSeq && pending.isEmpty()) {
        // A client entered after a seq the region has passed: fetch the rest now, not at the
        // next event or sweep.
        fill(true);
      }
      return this;
    }
    // What the region had journaled before this node listened is history, not news; anything
    // older that already arrived is kept, since a client may have entered on its account.
    lastSeq = pending.isEmpty() ? seq : Math.min(seq, pending.firstKey() - 1);
    drain();
    return this;
  }

  private Behavior<Command> onBaselineFailed(BaselineFailed m) {
    getContext()
        .getLog()
        .debug("region {} did not say its seq ({}); asking again", regionId, m.cause().toString());
    if (lastSeq < 0 && !pending.isEmpty()) {
      lastSeq = pending.firstKey() - 1;
      drain();
    }
    return this;
  }

  /**
   * Fetches what follows {@code lastSeq}. For a known gap the stream is tried first and the journal
   * when the stream's answer does not start right after {@code lastSeq}; a sweep of a quiet region
   * asks the stream alone while Redis is up, the journal while it is not.
   */
  private void fill(boolean gapKnown) {
    fill(gapKnown, false);
  }

  private void fill(boolean gapKnown, boolean journalOnly) {
    if (filling || lastSeq < 0) {
      return;
    }
    filling = true;
    long after = lastSeq;
    int batch = sources.batch();
    CompletionStage<Filled> result;
    if (!journalOnly && sources.streamUp().getAsBoolean()) {
      result =
          sources.stream()
              .after(regionId, after, batch)
              .handle(
                  (events, failure) -> {
                    boolean closes =
                        failure == null
                            && (events.isEmpty() ? !gapKnown : events.get(0).seq() == after + 1);
                    return closes ? new Filled(events, false) : null;
                  })
              .thenCompose(
                  filled ->
                      filled != null
                          ? CompletableFuture.completedFuture(filled)
                          : sources
                              .journal()
                              .after(regionId, after, batch)
                              .thenApply(events -> new Filled(events, true)));
    } else {
      result = sources.journal().after(regionId, after, batch).thenApply(e -> new Filled(e, true));
    }
    getContext()
        .pipeToSelf(
            result, (filled, failure) -> failure == null ? filled : new FillFailed(failure));
  }

  private Behavior<Command> onFilled(Filled m) {
    filling = false;
    long before = lastSeq;
    for (FeedEvent event : m.events()) {
      if (event.seq() > lastSeq) {
        pending.putIfAbsent(event.seq(), event);
      }
    }
    drain();
    // A full batch means there may be more; a fill that moved nothing waits for the next sweep.
    if (lastSeq > before && m.events().size() >= sources.batch() && !filling) {
      fill(false);
    }
    return this;
  }

  private Behavior<Command> onFillFailed(FillFailed m) {
    filling = false;
    getContext()
        .getLog()
        .warn(
            "region {}: fetching missed events failed ({}); trying again",
            regionId,
            m.cause().toString());
    return this;
  }

  private Behavior<Command> onSweep() {
    if (lastSeq < 0) {
      askBaseline();
    } else if (!pending.isEmpty()) {
      fill(true);
    } else if (!heardSinceSweep && journalDue && !filling) {
      journalDue = false;
      fill(false, true);
    } else if (!heardSinceSweep) {
      fill(false);
    }
    heardSinceSweep = false;
    return this;
  }

  private Behavior<Command> onLinkChanged(LinkChanged m) {
    journalDue = true;
    return this;
  }

  private Behavior<Command> onStop() {
    sources.cluster().unsubscribe(regionId, clusterAdapter);
    return this;
  }
}
