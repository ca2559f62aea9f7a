package dev.clawbots.persistence;

import dev.clawbots.region.FeedEvent;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WirePositions;

/**
 * What a node's subscriber to a region receives from {@link FeedSubscriptions}: every event of the
 * region once, in {@code seq} order, with its audience, and each tick's movers as they come
 * (positions are a stream of latest values: a lost one is superseded by the next, so they are never
 * filled in).
 */
public sealed interface FeedDelivery {

  record Event(FeedEvent published) implements FeedDelivery {
    /** The event as clients see it. */
    public WireEvent event() {
      return published.event();
    }
  }

  record Moved(WirePositions positions) implements FeedDelivery {}
}
