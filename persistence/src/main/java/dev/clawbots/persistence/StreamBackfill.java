package dev.clawbots.persistence;

import dev.clawbots.region.FeedEvent;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Missed events read from the region's Redis stream, which holds its last events with the entry id
 * {@code {seq}-0} and its audience beside it ({@link RedisRegionFeed}), so that "after seq N" is
 * one {@code XRANGE}. Fails while Redis is down; the stream is capped, so an answer may start later
 * than asked.
 */
public final class StreamBackfill implements EventBackfill {

  private final RedisLink link;
  private final RedisKeys keys;

  public StreamBackfill(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
  }

  @Override
  public CompletionStage<List<FeedEvent>> after(String regionId, long afterSeq, int limit) {
    return link.<List<StreamMessage<String, String>>>call(
            r ->
                r.xrange(
                    keys.events(regionId),
                    Range.from(
                        Range.Boundary.including((afterSeq + 1) + "-0"),
                        Range.Boundary.unbounded()),
                    Limit.from(limit)))
        .thenApply(
            entries -> {
              List<FeedEvent> events = new ArrayList<>(entries.size());
              for (StreamMessage<String, String> entry : entries) {
                WireEvent event = WireJson.read(entry.getBody().get("event"), WireEvent.class);
                String audience = entry.getBody().get("audience");
                events.add(
                    new FeedEvent(
                        event,
                        audience != null
                            ? List.of(WireJson.read(audience, String[].class))
                            // Written before audiences were: it reaches the agent it is about.
                            : event.sourceAgent() == null
                                ? List.of()
                                : List.of(event.sourceAgent())));
              }
              return events;
            });
  }
}
