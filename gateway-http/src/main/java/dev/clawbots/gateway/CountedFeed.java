package dev.clawbots.gateway;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.WireEvent;
import dev.clawbots.world.TickReport;
import java.util.List;
import kamon.Kamon;
import kamon.metric.Counter;

/**
 * The feed regions publish to, counting on the way what the hosting node's regions journal: {@code
 * clawbots_events_total{type}} (its rate is the seed's events per second) and {@code
 * clawbots_messages_total{region}} (chat, public and private).
 */
final class CountedFeed implements RegionFeed {

  static final String EVENTS = "clawbots.events";
  static final String MESSAGES = "clawbots.messages";

  private final RegionFeed next;

  CountedFeed(RegionFeed next) {
    this.next = next;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    WireEvent.of(event)
        .ifPresent(
            wire -> {
              events(wire.type()).increment();
              if (event instanceof RegionEvent.Spoke) {
                messages(wire.regionId()).increment();
              }
            });
    next.eventJournaled(event);
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    next.agentsMoved(regionId, tick, moved);
  }

  static Counter events(String type) {
    return Kamon.counter(EVENTS, "events journaled by the regions of this node")
        .withTag("type", type);
  }

  static Counter messages(String regionId) {
    return Kamon.counter(MESSAGES, "chat messages journaled by a region of this node")
        .withTag("region", regionId);
  }
}
