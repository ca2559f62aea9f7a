package dev.clawbots.persistence;

import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Missed events read from the region's Redis stream, which holds its last events with the entry id
 * {@code {seq}-0} ({@link RedisRegionFeed}), so that "after seq N" is one {@code XRANGE}. Fails
 * while Redis is down; the stream is capped, so an answer may start later than asked.
 */
public final class StreamBackfill implements EventBackfill {

  private final RedisLink link;
  private final String prefix;

  public StreamBackfill(RedisLink link, String prefix) {
    this.link = link;
    this.prefix = prefix;
  }

  @Override
  public CompletionStage<List<WireEvent>> after(String regionId, long afterSeq, int limit) {
    Optional<RedisAsyncCommands<String, String>> redis = link.commands();
    if (redis.isEmpty()) {
      return CompletableFuture.failedFuture(
          new RedisConnectionException("Redis is down: " + link.describe()));
    }
    return redis
        .get()
        .xrange(
            prefix + "events:" + regionId,
            Range.from(Range.Boundary.including((afterSeq + 1) + "-0"), Range.Boundary.unbounded()),
            Limit.from(limit))
        .thenApply(
            entries -> {
              List<WireEvent> events = new ArrayList<>(entries.size());
              for (StreamMessage<String, String> entry : entries) {
                events.add(WireJson.read(entry.getBody().get("event"), WireEvent.class));
              }
              return events;
            });
  }
}
