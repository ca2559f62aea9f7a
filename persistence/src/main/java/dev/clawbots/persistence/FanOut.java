package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.world.TickReport;
import java.util.List;

/**
 * The feed a region publishes to when Redis is configured: Redis while the node's link is up, the
 * cluster's own pub/sub ({@link TopicRegionFeed}) while it is down. Subscribers listen on both and
 * keep each event once by its {@code seq} ({@link FeedSubscriptions}), so the switch in either
 * direction loses nothing they cannot fill from the journal.
 */
public final class FanOut implements RegionFeed {

  private final RedisLink link;
  private final RedisRegionFeed redis;
  private final TopicRegionFeed cluster;

  public FanOut(RedisLink link, RedisRegionFeed redis, TopicRegionFeed cluster) {
    this.link = link;
    this.redis = redis;
    this.cluster = cluster;
  }

  /** Whether events go through the cluster instead of Redis now. */
  public boolean degraded() {
    return !link.isUp();
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    if (link.isUp()) {
      redis.eventJournaled(event);
    } else {
      cluster.eventJournaled(event);
    }
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    if (link.isUp()) {
      redis.agentsMoved(regionId, tick, moved);
    } else {
      cluster.agentsMoved(regionId, tick, moved);
    }
  }
}
