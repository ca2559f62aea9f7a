package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.region.WirePositions;
import dev.clawbots.world.TickReport;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RegionFeed} on Redis. Each event goes to the channel {@code events:{region}} and to
 * the stream of the same name, which keeps the region's last {@code streamLength} events under the
 * entry id {@code {seq}-0}, so that a subscriber asks for "after seq N" in one {@code XRANGE}; each
 * tick's moved agents go to {@code positions:{region}}. JSON is the contract's ({@link WireJson}).
 *
 * <p>Publishing never blocks a region: commands are sent asynchronously, pipelined on the node's
 * one connection ({@link RedisLink}), and while Redis is unreachable they fail at once instead of
 * queueing without bound. What fails is counted ({@link #failures()}); the journal keeps every
 * event, and subscribers fill gaps in {@code seq} from the stream or the journal.
 */
public final class RedisRegionFeed implements RegionFeed {

  /** How many events each region's stream keeps. */
  public static final int STREAM_LENGTH = 1000;

  private static final Logger log = LoggerFactory.getLogger(RedisRegionFeed.class);

  private final RedisLink link;
  private final String prefix;
  private final int streamLength;
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param prefix prepended to every key and channel (may be empty)
   */
  public RedisRegionFeed(RedisLink link, String prefix, int streamLength) {
    this.link = link;
    this.prefix = prefix;
    this.streamLength = streamLength;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    Optional<WireEvent> visible = WireEvent.of(event);
    if (visible.isEmpty()) {
      return;
    }
    Optional<RedisAsyncCommands<String, String>> redis = commands();
    if (redis.isEmpty()) {
      return;
    }
    WireEvent wire = visible.get();
    String key = prefix + "events:" + wire.regionId();
    String json = WireJson.write(wire);
    watch(redis.get().publish(key, json));
    watch(
        redis
            .get()
            .xadd(
                key,
                XAddArgs.Builder.maxlen(streamLength).exactTrimming().id(wire.seq() + "-0"),
                Map.of("seq", Long.toString(wire.seq()), "event", json)));
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    commands()
        .ifPresent(
            redis ->
                watch(
                    redis.publish(
                        prefix + "positions:" + regionId,
                        WireJson.write(WirePositions.of(regionId, tick, moved)))));
  }

  /** Events and position updates that did not reach Redis since start. */
  public long failures() {
    return failures.get();
  }

  private Optional<RedisAsyncCommands<String, String>> commands() {
    Optional<RedisAsyncCommands<String, String>> redis = link.commands();
    if (redis.isEmpty()) {
      failures.incrementAndGet();
    }
    return redis;
  }

  private void watch(RedisFuture<?> future) {
    future.whenComplete(
        (ok, failure) -> {
          if (failure != null && failures.getAndIncrement() % 1000 == 0) {
            log.warn(
                "publishing to Redis failed ({} so far): {}", failures.get(), failure.toString());
          }
        });
  }
}
