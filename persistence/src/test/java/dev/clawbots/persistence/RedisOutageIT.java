package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.world.Vec3;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The degraded mode, on a redis-server of the test's own that it kills, restarts empty on the same
 * port, and freezes: rate limits fall back to this node's counters and revocation checks to the
 * database (H2 here) while Redis is away, and both return to Redis when it is back.
 */
class RedisOutageIT {
  private HikariDataSource pool;

  /** Quick to notice and retry; commands wait long enough that a wait would show. */
  private static final RedisLink.Settings FAST =
      new RedisLink.Settings(
          Duration.ofSeconds(1),
          Duration.ofMillis(300),
          Duration.ofMillis(100),
          Duration.ofMillis(100));

  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final RedisKeys keys = new RedisKeys("outage:");
  private final Clock clock = Clock.systemUTC();
  private RedisServerProcess redis;
  private RedisLink link;
  private ExecutorService blocking;
  private DatabaseRevocations database;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServerProcess.start();
    link = RedisLink.open(redis.url(), FAST);
    TestWait.until(WITHIN, link::isUp);
    blocking = Executors.newFixedThreadPool(2);
    database =
        new DatabaseRevocations(
            pool = TestCluster.pool(DatabaseRevocationsOnH2Test.migratedH2(), "sa", ""),
            blocking,
            clock);
  }

  @AfterEach
  void stop() {
    if (link != null) {
      link.close();
    }
    if (database != null) {
      pool.close();
    }
    if (blocking != null) {
      blocking.shutdownNow();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** The value at {@code key} in the test's Redis, read on the link. */
  private String get(String key) {
    return join(link.call(r -> r.get(key)));
  }

  private void killRedis() {
    redis.stop();
    TestWait.until(WITHIN, () -> !link.isUp());
  }

  private void restartRedis() throws Exception {
    redis.restart();
    TestWait.until(WITHIN, link::isUp);
  }

  @Test
  void rateLimitsAreCountedLocallyWhileRedisIsDownAndInRedisAgainWhenItIsBack() throws Exception {
    RedisOrLocalRateLimiter limiter =
        new RedisOrLocalRateLimiter(new RedisRateLimiter(link, keys), new LocalRateLimiter(), link);
    for (int i = 0; i < 3; i++) {
      assertThat(join(limiter.tryAcquire("a1", "move", 3, MINUTE)).allowed()).isTrue();
    }
    assertThat(join(limiter.tryAcquire("a1", "move", 3, MINUTE)).allowed()).isFalse();
    assertThat(get(keys.ratelimit("a1", "move"))).isEqualTo("4");
    assertThat(limiter.localDecisions()).isZero();

    killRedis();
    // This node's counters start afresh: three more, then refused, all without Redis.
    for (int i = 0; i < 3; i++) {
      assertThat(join(limiter.tryAcquire("a1", "move", 3, MINUTE)).allowed()).isTrue();
    }
    RateDecision refused = join(limiter.tryAcquire("a1", "move", 3, MINUTE));
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isPositive();
    assertThat(limiter.localDecisions()).isEqualTo(4);

    restartRedis();
    // The restarted Redis knows neither the counter nor the script (EVALSHA fails, EVAL follows).
    assertThat(join(limiter.tryAcquire("a1", "move", 3, MINUTE)))
        .isEqualTo(new RateDecision(true, 2, Duration.ZERO));
    assertThat(limiter.localDecisions()).as("decided by Redis again").isEqualTo(4);
    assertThat(get(keys.ratelimit("a1", "move"))).isEqualTo("1");
  }

  @Test
  void revocationsAreCheckedInTheDatabaseWhileRedisIsDownAndRedisIsRefilledWhenItIsBack()
      throws Exception {
    RedisThenDatabaseRevocations revocations =
        new RedisThenDatabaseRevocations(
            new RedisRevocations(link, keys, clock), database, link, clock);
    join(revocations.isRevoked("first-check"));
    TestWait.until(WITHIN, revocations::answersFromRedis);
    join(revocations.revoke("before", clock.instant().plus(Duration.ofHours(1))));
    assertThat(get(keys.revoked("before"))).isEqualTo("1");
    long fromDatabase = revocations.databaseChecks();
    assertThat(join(revocations.isRevoked("before"))).isTrue();
    assertThat(revocations.databaseChecks()).as("answered by Redis").isEqualTo(fromDatabase);

    killRedis();
    assertThat(revocations.answersFromRedis()).isFalse();
    assertThat(join(revocations.isRevoked("before"))).isTrue();
    join(revocations.revoke("during", clock.instant().plus(Duration.ofHours(1))));
    assertThat(join(revocations.isRevoked("during"))).isTrue();
    assertThat(join(revocations.isRevoked("never"))).isFalse();
    assertThat(revocations.databaseChecks()).isEqualTo(fromDatabase + 3);

    restartRedis();
    // Redis came back empty: trusting it now would let "before" and "during" through.
    assertThat(revocations.answersFromRedis()).isFalse();
    assertThat(join(revocations.isRevoked("before"))).isTrue();
    TestWait.until(WITHIN, revocations::answersFromRedis);
    assertThat(get(keys.revoked("before"))).isEqualTo("1");
    assertThat(get(keys.revoked("during"))).isEqualTo("1");
    fromDatabase = revocations.databaseChecks();
    assertThat(join(revocations.isRevoked("during"))).isTrue();
    assertThat(join(revocations.isRevoked("never"))).isFalse();
    assertThat(revocations.databaseChecks()).as("answered by Redis").isEqualTo(fromDatabase);
  }

  @Test
  void aLinkOpenedWhileRedisIsDownWorksWithoutItAndComesUpWhenItStarts() throws Exception {
    redis.stop();
    try (RedisLink late = RedisLink.open(redis.url(), FAST)) {
      Presence presence = new Presence(late, keys, clock);
      RedisOrLocalRateLimiter limiter =
          new RedisOrLocalRateLimiter(
              new RedisRateLimiter(late, keys), new LocalRateLimiter(), late);

      CompletableFuture<Void> write =
          presence.entered("a1", "main", new Vec3(1, 1, 1)).toCompletableFuture();
      assertThat(write).as("failed at once, not queued").isCompletedExceptionally();
      assertThat(presence.failures()).isEqualTo(1);
      assertThat(join(limiter.tryAcquire("a1", "move", 3, MINUTE)).allowed()).isTrue();
      assertThat(limiter.localDecisions()).isEqualTo(1);
      assertThat(late.isUp()).isFalse();

      redis.restart();
      TestWait.until(WITHIN, late::isUp);

      join(presence.entered("a1", "main", new Vec3(1, 1, 1)));
      assertThat(join(late.<Long>call(r -> r.exists(keys.session("a1"))))).isEqualTo(1L);
      join(limiter.tryAcquire("a1", "move", 3, MINUTE));
      assertThat(limiter.localDecisions()).isEqualTo(1);
      assertThat(late.timesUp()).isEqualTo(1);
    }
  }

  @Test
  void aRedisThatStopsAnsweringIsDownOnceAPingTimesOut() throws Exception {
    RedisOrLocalRateLimiter limiter =
        new RedisOrLocalRateLimiter(new RedisRateLimiter(link, keys), new LocalRateLimiter(), link);
    long timesUp = link.timesUp();

    redis.freeze();
    TestWait.until(WITHIN, () -> !link.isUp());
    long started = System.nanoTime();
    assertThat(join(limiter.tryAcquire("a1", "move", 3, MINUTE)).allowed()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("a frozen Redis is not waited for")
        .isLessThan(FAST.commandTimeout());
    assertThat(limiter.localDecisions()).isEqualTo(1);

    redis.thaw();
    TestWait.until(WITHIN, link::isUp);
    assertThat(link.timesUp()).isEqualTo(timesUp + 1);
    join(limiter.tryAcquire("a1", "move", 3, MINUTE));
    assertThat(limiter.localDecisions()).isEqualTo(1);
  }

  /**
   * A node whose own commands queue up behind a slow one has a backlog, not a Redis outage: a
   * {@code BLPOP} holds the shared command connection for 3 s, past several PINGs' timeouts, and
   * the link stays up throughout, with Redis answering on the link's other connections.
   */
  @Test
  void aBackloggedCommandConnectionIsNotAnOutage() {
    long timesUp = link.timesUp();
    // The client gives up on it after commandTimeout (1 s); Redis keeps the connection for 3 s,
    // and each command after it on that connection waits until then.
    link.call(r -> r.blpop(3, "outage:never-pushed"));
    int waited = 0;
    while (!link.call(r -> r.ping()).toCompletableFuture().handle((p, f) -> f == null).join()) {
      waited++;
      assertThat(link.isUp()).as("up while the command connection is held").isTrue();
      assertThat(waited).as("the held connection answers again").isLessThan(10);
    }
    assertThat(waited).as("commands waited behind the held one").isPositive();
    assertThat(link.isUp()).isTrue();
    assertThat(link.timesUp()).isEqualTo(timesUp);
  }
}
