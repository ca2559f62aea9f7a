package dev.clawbots.persistence;

import dev.clawbots.region.WireJson;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is where, in Redis, for every node and for tools outside the server: {@code session:{agent}}
 * (the agent's stay: region and since when, until it leaves), {@code pos:{region}:{agent}} (its
 * last position, gone 30 s after its last move, so a position never outlives a node that stopped
 * writing) and {@code region:{region}:agents} (the region's agents, scored by their last activity
 * in epoch milliseconds).
 *
 * <p>This is a view for reading, not the truth: the regions hold that, in their journals. So every
 * write is asynchronous and pipelined, never makes a caller wait, and fails at once while Redis is
 * down; what fails is counted ({@link #failures()}) and the returned stage fails, for callers that
 * care. After Redis returns, positions come back with the next moves.
 */
public final class Presence {

  /** How long a position stays after the move that wrote it. */
  public static final Duration POSITION_TTL = Duration.ofSeconds(30);

  /** The JSON of {@code session:{agent_id}}. */
  public record Session(String agentId, String regionId, Instant since) {}

  private static final Logger log = LoggerFactory.getLogger(Presence.class);

  private final RedisLink link;
  private final RedisKeys keys;
  private final Clock clock;
  private final Failures failures = new Failures(log, "writing presence to Redis");

  /**
   * @param clock the time that scores activity in {@code region:{region}:agents}
   */
  public Presence(RedisLink link, RedisKeys keys, Clock clock) {
    this.link = link;
    this.keys = keys;
    this.clock = clock;
  }

  /** An agent joined a region (or crossed into it) at {@code position}. */
  public CompletionStage<Void> entered(String agentId, String regionId, Vec3 position) {
    Instant now = clock.instant();
    String session = WireJson.write(new Session(agentId, regionId, now));
    return write(
        r ->
            List.of(
                r.set(keys.session(agentId), session),
                r.set(keys.pos(regionId, agentId), WireJson.write(position), positionTtl()),
                r.zadd(keys.regionAgents(regionId), now.toEpochMilli(), agentId)));
  }

  /** An agent is at {@code position} now. */
  public CompletionStage<Void> moved(String regionId, String agentId, Vec3 position) {
    long now = clock.millis();
    return write(
        r ->
            List.of(
                r.set(keys.pos(regionId, agentId), WireJson.write(position), positionTtl()),
                r.zadd(keys.regionAgents(regionId), now, agentId)));
  }

  /** The agents that moved on one tick of a region, in one pipeline. */
  public CompletionStage<Void> moved(String regionId, List<TickReport.AgentPosition> moved) {
    if (moved.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    long now = clock.millis();
    return write(
        r -> {
          List<CompletionStage<?>> writes = new ArrayList<>(moved.size() + 1);
          Object[] scored = new Object[moved.size() * 2];
          int i = 0;
          for (TickReport.AgentPosition p : moved) {
            writes.add(
                r.set(
                    keys.pos(regionId, p.agentId()), WireJson.write(p.position()), positionTtl()));
            scored[i++] = (double) now;
            scored[i++] = p.agentId();
          }
          writes.add(r.zadd(keys.regionAgents(regionId), scored));
          return writes;
        });
  }

  /** An agent did something other than move (spoke, emoted): its activity score only. */
  public CompletionStage<Void> acted(String regionId, String agentId) {
    long now = clock.millis();
    return write(r -> List.of(r.zadd(keys.regionAgents(regionId), now, agentId)));
  }

  /** An agent left a region (or crossed out of it): its session, position and membership go. */
  public CompletionStage<Void> left(String agentId, String regionId) {
    return write(
        r ->
            List.of(
                r.del(keys.session(agentId), keys.pos(regionId, agentId)),
                r.zrem(keys.regionAgents(regionId), agentId)));
  }

  /** The agents of a region, the most recently active first. */
  public CompletionStage<List<String>> agentsIn(String regionId) {
    return link.call(r -> r.zrevrange(keys.regionAgents(regionId), 0, -1));
  }

  /** Writes that failed since start. */
  public long failures() {
    return failures.count();
  }

  private static SetArgs positionTtl() {
    return SetArgs.Builder.px(POSITION_TTL);
  }

  private CompletionStage<Void> write(
      Function<RedisAsyncCommands<String, String>, List<? extends CompletionStage<?>>> commands) {
    CompletionStage<Void> written =
        link.call(
            r ->
                CompletableFuture.allOf(
                    commands.apply(r).stream()
                        .map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new)));
    written.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            failures.record(failure);
          }
        });
    return written;
  }
}
