package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.region.WirePositions;
import dev.clawbots.world.TickReport;
import io.lettuce.core.XAddArgs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final RedisKeys keys;
  private final int streamLength;

  /**
   * Commands sent and not yet answered, at most. Past it a burst is dropped here and counted, the
   * way Redis being away is: its connection would reject them anyway, noisily, past its queue.
   */
  static final int MAX_IN_FLIGHT = 8_000;

  private final AtomicLong failures = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();

  public RedisRegionFeed(RedisLink link, RedisKeys keys, int streamLength) {
    this.link = link;
    this.keys = keys;
    this.streamLength = streamLength;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    Optional<WireEvent> visible = WireEvent.of(event);
    if (visible.isEmpty()) {
      return;
    }
    if (!sendable()) {
      return;
    }
    WireEvent wire = visible.get();
    String key = keys.events(wire.regionId());
    String json = WireJson.write(wire);
    watch(link.call(r -> r.publish(key, json)));
    watch(
        link.call(
            r ->
                r.xadd(
                    key,
                    XAddArgs.Builder.maxlen(streamLength).exactTrimming().id(wire.seq() + "-0"),
                    Map.of("seq", Long.toString(wire.seq()), "event", json))));
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    if (sendable()) {
      String json = WireJson.write(WirePositions.of(regionId, tick, moved));
      watch(link.call(r -> r.publish(keys.positions(regionId), json)));
    }
  }

  /** Events and position updates that did not reach Redis since start. */
  public long failures() {
    return failures.get();
  }

  private boolean sendable() {
    if (!link.isUp() || inFlight.get() >= MAX_IN_FLIGHT) {
      failures.incrementAndGet();
      return false;
    }
    return true;
  }

  private void watch(CompletionStage<?> future) {
    inFlight.incrementAndGet();
    future.whenComplete(
        (ok, failure) -> {
          inFlight.decrementAndGet();
          if (failure != null && failures.getAndIncrement() % 1000 == 0) {
            log.warn(
                "publishing to Redis failed ({} so far): {}", failures.get(), failure.toString());
          }
        });
  }
}
