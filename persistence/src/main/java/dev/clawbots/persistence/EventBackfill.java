package dev.clawbots.persistence;

import dev.clawbots.region.FeedEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where a subscriber fetches the events of a region it missed. */
public interface EventBackfill {

  /**
   * Up to {@code limit} events of {@code regionId} with {@code seq > afterSeq}, oldest first. The
   * answer may be shorter than what exists (a capped stream), but it is never out of order.
   */
  CompletionStage<List<FeedEvent>> after(String regionId, long afterSeq, int limit);
}
