package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's revocations on PostgreSQL (a schema of their own) and the machine's Redis (a prefix
 * of their own): both written, checks answered by Redis once it has been refilled.
 */
class RedisThenDatabaseRevocationsIT {
  private HikariDataSource pool;

  private static final String SCHEMA = "it_revoked_" + Long.toHexString(System.nanoTime());

  private final String prefix = SharedRedis.newPrefix("revoked");
  private final RedisKeys keys = new RedisKeys(prefix);
  private final Clock clock = Clock.systemUTC();
  private ExecutorService blocking;
  private DatabaseRevocations database;
  private RedisLink link;
  private RedisThenDatabaseRevocations revocations;

  @BeforeAll
  static void createSchema() throws SQLException {
    TestCluster.createSchema(SCHEMA);
    ReadSideSchema.migrate(
        TestCluster.urlIn(SCHEMA), "clawbots", "clawbots", JournalBackend.POSTGRESQL);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    TestCluster.dropSchema(SCHEMA);
  }

  @BeforeEach
  void open() throws SQLException {
    try (Connection c = TestCluster.connect();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM " + SCHEMA + ".revoked_tokens");
    }
    blocking = Executors.newFixedThreadPool(2);
    database =
        new DatabaseRevocations(
            pool = TestCluster.pool(TestCluster.urlIn(SCHEMA), "clawbots", "clawbots"),
            blocking,
            clock);
  }

  /** Connects to Redis: after open(), so that a test can write to the database before. */
  private void connect() {
    link = RedisLink.open(SharedRedis.URL, RedisLink.Settings.defaults());
    TestWait.until(Duration.ofSeconds(10), link::isUp);
    revocations =
        new RedisThenDatabaseRevocations(
            new RedisRevocations(link, keys, clock), database, link, clock);
  }

  @AfterEach
  void close() {
    if (link != null) {
      link.close();
    }
    pool.close();
    blocking.shutdownNow();
    SharedRedis.deleteUnder(prefix);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private void awaitRefill() {
    join(revocations.isRevoked("first-check"));
    TestWait.until(Duration.ofSeconds(10), revocations::answersFromRedis);
  }

  @Test
  void aRevocationGoesToBothStoresAndLastsInRedisUntilTheTokenExpires() {
    connect();
    awaitRefill();
    Instant expiresAt = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);

    join(revocations.revoke("jti-1", expiresAt));

    assertThat(join(database.isRevoked("jti-1"))).isTrue();
    SharedRedis.with(
        redis -> {
          assertThat(redis.get(keys.revoked("jti-1"))).isEqualTo("1");
          assertThat(redis.pexpiretime(keys.revoked("jti-1"))).isEqualTo(expiresAt.toEpochMilli());
        });
    long databaseChecks = revocations.databaseChecks();
    assertThat(join(revocations.isRevoked("jti-1"))).isTrue();
    assertThat(join(revocations.isRevoked("jti-2"))).isFalse();
    assertThat(revocations.databaseChecks()).as("answered by Redis").isEqualTo(databaseChecks);
    assertThat(revocations.failures()).isZero();
  }

  @Test
  void redisIsRefilledFromTheDatabaseBeforeItAnswers() {
    // Revoked while this node had no Redis: only the database has it.
    join(database.revoke("while-away", clock.instant().plus(Duration.ofHours(1))));
    join(database.revoke("long-expired", clock.instant().minus(Duration.ofHours(1))));
    connect();

    assertThat(revocations.answersFromRedis()).as("not before the refill").isFalse();
    assertThat(join(revocations.isRevoked("while-away"))).isTrue();
    TestWait.until(Duration.ofSeconds(10), revocations::answersFromRedis);

    SharedRedis.with(
        redis -> {
          assertThat(redis.exists(keys.revoked("while-away"))).isEqualTo(1);
          assertThat(redis.exists(keys.revoked("long-expired"))).isZero();
        });
    long databaseChecks = revocations.databaseChecks();
    assertThat(join(revocations.isRevoked("while-away"))).isTrue();
    assertThat(revocations.databaseChecks()).isEqualTo(databaseChecks);
  }
}
