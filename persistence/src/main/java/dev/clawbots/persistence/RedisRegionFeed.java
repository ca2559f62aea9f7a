package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RegionFeed} on Redis. Each event goes to the channel {@code events:{region}} and to
 * the stream of the same name, which keeps the region's last {@code streamLength} events; each
 * tick's moved agents go to {@code positions:{region}}. JSON is the contract's ({@link WireJson}).
 *
 * <p>Publishing never blocks a region: commands are sent asynchronously, pipelined on one
 * connection, and while Redis is unreachable they fail at once instead of queueing without bound.
 * What fails is counted ({@link #failures()}); the journal keeps every event, and subscribers fill
 * gaps in {@code seq} from the stream or the read side.
 */
public final class RedisRegionFeed implements RegionFeed, AutoCloseable {

  /** How many events each region's stream keeps. */
  public static final int STREAM_LENGTH = 1000;

  private static final Logger log = LoggerFactory.getLogger(RedisRegionFeed.class);

  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final String prefix;
  private final int streamLength;
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param client a client for the configured {@code REDIS_URL}; its options are set here
   * @param prefix prepended to every key and channel (may be empty)
   */
  public RedisRegionFeed(RedisClient client, String prefix, int streamLength) {
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(10_000)
            .build());
    this.connection = client.connect();
    this.redis = connection.async();
    this.prefix = prefix;
    this.streamLength = streamLength;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    WireEvent.of(event)
        .ifPresent(
            wire -> {
              String key = prefix + "events:" + wire.regionId();
              String json = WireJson.write(wire);
              watch(redis.publish(key, json));
              watch(
                  redis.xadd(
                      key,
                      XAddArgs.Builder.maxlen(streamLength).exactTrimming(),
                      Map.of("seq", Long.toString(wire.seq()), "event", json)));
            });
  }

  /** The JSON of {@code positions:{region}}: the agents that moved on one tick. */
  public record Positions(String regionId, long worldTick, List<Moved> agents) {}

  public record Moved(String agentId, Vec3 position) {}

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    List<Moved> agents = new ArrayList<>(moved.size());
    for (TickReport.AgentPosition p : moved) {
      agents.add(new Moved(p.agentId(), p.position()));
    }
    watch(
        redis.publish(
            prefix + "positions:" + regionId,
            WireJson.write(new Positions(regionId, tick, agents))));
  }

  /** Commands that failed since start: Redis was unreachable, or refused them. */
  public long failures() {
    return failures.get();
  }

  private void watch(io.lettuce.core.RedisFuture<?> future) {
    future.whenComplete(
        (ok, failure) -> {
          if (failure != null && failures.getAndIncrement() % 1000 == 0) {
            log.warn(
                "publishing to Redis failed ({} so far): {}", failures.get(), failure.toString());
          }
        });
  }

  @Override
  public void close() {
    connection.close();
  }
}
