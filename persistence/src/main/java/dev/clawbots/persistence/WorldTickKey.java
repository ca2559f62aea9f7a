package dev.clawbots.persistence;

import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key {@code world:tick}: the world's current tick, for tools that read Redis rather than ask
 * the server. Every node computes the tick from wall time, so any of them may write it; a write
 * fails at once while Redis is down, and is counted.
 */
public final class WorldTickKey {

  private static final Logger log = LoggerFactory.getLogger(WorldTickKey.class);

  private final RedisLink link;
  private final RedisKeys keys;
  private final Failures failures = new Failures(log, "writing world:tick to Redis");

  public WorldTickKey(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
  }

  public CompletionStage<Void> set(long worldTick) {
    CompletionStage<Void> written =
        link.call(r -> r.set(keys.worldTick(), Long.toString(worldTick))).thenApply(ok -> null);
    written.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            failures.record(failure);
          }
        });
    return written;
  }

  /** The tick last written, empty when there is none. */
  public CompletionStage<OptionalLong> get() {
    return link.call(r -> r.get(keys.worldTick()))
        .thenApply(v -> v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v)));
  }

  /** Writes that failed since start. */
  public long failures() {
    return failures.count();
  }
}
