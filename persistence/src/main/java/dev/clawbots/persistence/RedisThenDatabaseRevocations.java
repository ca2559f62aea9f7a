package dev.clawbots.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's revocations: written to the database always, so that a revocation survives losing
 * Redis, and to Redis, so that every node checks it in one round trip. Checks go to Redis while it
 * is up and known to hold every revocation, and to the database otherwise.
 *
 * <p>Redis may come back empty (it keeps nothing across a restart without persistence), so after
 * every (re)connection, and after a write to Redis that failed, Redis is not trusted until it has
 * been refilled with the database's unexpired revocations; checks meanwhile go to the database. The
 * refill starts on the first call that finds it needed, runs in the background, and is retried no
 * more than once a second while it fails.
 *
 * <p>A revocation whose Redis write fails is in the database at once, but other nodes that trust
 * their Redis see it only when this node's refill succeeds: the window is this node's outage.
 */
public final class RedisThenDatabaseRevocations implements Revocations {

  private static final Logger log = LoggerFactory.getLogger(RedisThenDatabaseRevocations.class);
  private static final Duration REFILL_RETRY = Duration.ofSeconds(1);

  private final RedisRevocations redis;
  private final DatabaseRevocations database;
  private final RedisHealth health;
  private final Clock clock;
  private final Failures failures = new Failures(log, "revocations in Redis");
  private final AtomicLong databaseChecks = new AtomicLong();
  private final AtomicLong lostWrites = new AtomicLong();
  private final AtomicBoolean refilling = new AtomicBoolean();

  /** The {@link RedisHealth#timesUp} that Redis was last refilled in; 0 for never. */
  private volatile long refilledIn;

  private volatile long nextRefillMillis;

  public RedisThenDatabaseRevocations(
      RedisRevocations redis, DatabaseRevocations database, RedisHealth health, Clock clock) {
    this.redis = redis;
    this.database = database;
    this.health = health;
    this.clock = clock;
  }

  /**
   * Completes once the database has the revocation and Redis has it or has failed to take it; fails
   * only if the database fails.
   */
  @Override
  public CompletionStage<Void> revoke(String jti, Instant expiresAt) {
    Revocations.checkJti(jti);
    return database
        .revoke(jti, expiresAt)
        .thenCompose(
            stored -> {
              if (!health.isUp()) {
                // The refill after Redis returns brings it there.
                return CompletableFuture.completedFuture(null);
              }
              return redis
                  .revoke(jti, expiresAt)
                  .handle(
                      (ok, failure) -> {
                        if (failure != null) {
                          failures.record(failure);
                          lostWrites.incrementAndGet();
                          refilledIn = 0;
                        }
                        return null;
                      });
            });
  }

  /**
   * Answers from Redis when it can, from the database when Redis is down, not refilled, or fails.
   */
  @Override
  public CompletionStage<Boolean> isRevoked(String jti) {
    Revocations.checkJti(jti);
    refillIfNeeded();
    if (!answersFromRedis()) {
      return fromDatabase(jti);
    }
    return redis
        .isRevoked(jti)
        .exceptionallyCompose(
            failure -> {
              failures.record(failure);
              return fromDatabase(jti);
            });
  }

  /** Deletes the database's revocations of expired tokens; Redis forgets them by itself. */
  public CompletionStage<Integer> purgeExpired() {
    return database.purgeExpired();
  }

  /** Whether checks go to Redis now: it is up and holds every revocation. */
  public boolean answersFromRedis() {
    long timesUp = health.timesUp();
    return health.isUp() && timesUp > 0 && refilledIn == timesUp;
  }

  /** Checks answered by the database since start. */
  public long databaseChecks() {
    return databaseChecks.get();
  }

  /** Redis calls (writes, checks, refills) that failed since start. */
  public long failures() {
    return failures.count();
  }

  private CompletionStage<Boolean> fromDatabase(String jti) {
    databaseChecks.incrementAndGet();
    return database.isRevoked(jti);
  }

  private void refillIfNeeded() {
    long timesUp = health.timesUp();
    if (!health.isUp() || refilledIn == timesUp || clock.millis() < nextRefillMillis) {
      return;
    }
    if (!refilling.compareAndSet(false, true)) {
      return;
    }
    long lostBefore = lostWrites.get();
    database
        .unexpired()
        .thenCompose(redis::restore)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                failures.record(failure);
                nextRefillMillis = clock.millis() + REFILL_RETRY.toMillis();
              } else if (lostWrites.get() == lostBefore) {
                // Not when a write was lost meanwhile: the rows read may lack it. The next call
                // refills again.
                refilledIn = timesUp;
                log.info("Redis refilled with the database's revocations");
              }
              refilling.set(false);
            });
  }
}
