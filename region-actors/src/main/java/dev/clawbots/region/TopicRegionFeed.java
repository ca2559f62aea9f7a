package dev.clawbots.region;

import dev.clawbots.world.TickReport;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The in-process {@link RegionFeed}: one Pekko pub/sub topic per region, reaching subscribers on
 * every node of the cluster. It is the fan-out when Redis is not configured, and the fallback when
 * Redis is down.
 */
public final class TopicRegionFeed implements RegionFeed {

  /** What subscribers of a region's topic receive. */
  public sealed interface FeedMessage extends CborSerializable {}

  public record EventPublished(RegionEvent event) implements FeedMessage {}

  public record AgentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved)
      implements FeedMessage {}

  // Topic actors of the same name find each other, so each feed may run its own: they need only
  // distinct actor names on the node.
  private static final AtomicLong instances = new AtomicLong();

  private final ActorSystem<?> system;
  private final long instance = instances.incrementAndGet();
  private final ConcurrentHashMap<String, ActorRef<Topic.Command<FeedMessage>>> topics =
      new ConcurrentHashMap<>();

  public TopicRegionFeed(ActorSystem<?> system) {
    this.system = system;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    topic(event.regionId()).tell(Topic.publish(new EventPublished(event)));
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    topic(regionId).tell(Topic.publish(new AgentsMoved(regionId, tick, List.copyOf(moved))));
  }

  public void subscribe(String regionId, ActorRef<FeedMessage> subscriber) {
    topic(regionId).tell(Topic.subscribe(subscriber));
  }

  public void unsubscribe(String regionId, ActorRef<FeedMessage> subscriber) {
    topic(regionId).tell(Topic.unsubscribe(subscriber));
  }

  private ActorRef<Topic.Command<FeedMessage>> topic(String regionId) {
    return topics.computeIfAbsent(
        regionId,
        id ->
            system.systemActorOf(
                Topic.create(FeedMessage.class, "region-feed-" + id),
                "region-feed-" + id + "-" + instance,
                Props.empty()));
  }
}
