package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.world.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's revocations on H2 with Redis configured but unreachable from the start: everything
 * still works, on the database alone, and nothing waits for Redis.
 */
class RedisThenDatabaseRevocationsTest {
  private HikariDataSource pool;

  private static final RedisLink.Settings FAST =
      new RedisLink.Settings(
          Duration.ofMillis(200),
          Duration.ofMillis(200),
          Duration.ofMillis(50),
          Duration.ofMillis(100));

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T12:00:00Z"));
  private ExecutorService blocking;
  private DatabaseRevocations database;
  private RedisLink link;
  private RedisThenDatabaseRevocations revocations;

  @BeforeEach
  void open() throws Exception {
    blocking = Executors.newFixedThreadPool(2);
    database =
        new DatabaseRevocations(
            pool = TestCluster.pool(DatabaseRevocationsOnH2Test.migratedH2(), "sa", ""),
            blocking,
            clock);
    link = RedisLink.open("redis://127.0.0.1:" + TestCluster.freePort(), FAST);
    revocations =
        new RedisThenDatabaseRevocations(
            new RedisRevocations(link, RedisKeys.unprefixed(), clock), database, link, clock);
  }

  @AfterEach
  void close() {
    link.close();
    pool.close();
    blocking.shutdownNow();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void revokesAndChecksOnTheDatabaseAloneWhileRedisIsUnreachable() {
    join(revocations.revoke("jti-1", clock.instant().plus(Duration.ofHours(1))));

    assertThat(join(revocations.isRevoked("jti-1"))).isTrue();
    assertThat(join(revocations.isRevoked("jti-2"))).isFalse();
    assertThat(join(database.isRevoked("jti-1"))).as("written to the database").isTrue();
    assertThat(revocations.databaseChecks()).isEqualTo(2);
    assertThat(revocations.answersFromRedis()).isFalse();
    assertThat(revocations.failures()).as("Redis was not even tried").isZero();
  }

  @Test
  void purgesExpiredRevocationsFromTheDatabase() {
    join(revocations.revoke("jti-1", clock.instant().plus(Duration.ofMinutes(1))));
    clock.advance(Duration.ofMinutes(1));

    assertThat(join(revocations.isRevoked("jti-1"))).isFalse();
    assertThat(join(revocations.purgeExpired())).isEqualTo(1);
  }
}
