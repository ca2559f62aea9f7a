package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What spectator sessions must record on either database. Subclasses give a migrated one. */
abstract class SpectatorSessionsContract {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  /** url, user, password of a database the read side's migrations have run on. */
  abstract String[] database();

  private HikariDataSource pool;
  private ExecutorService blocking;
  private Instant now = START;
  private SpectatorSessions sessions;

  @BeforeEach
  void open() {
    String[] db = database();
    blocking = Executors.newFixedThreadPool(2);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db[0]);
    config.setUsername(db[1]);
    config.setPassword(db[2]);
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneId.of("UTC");
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    sessions = new SpectatorSessions(pool, blocking, clock);
  }

  @AfterEach
  void close() {
    pool.close();
    blocking.shutdownNow();
  }

  @Test
  void aSessionRecordsWhoWatchedWhatFromWhenUntilWhen() throws Exception {
    long follow =
        sessions
            .start("s1", "Sam", SpectatorSessions.Target.AGENT, "a1")
            .toCompletableFuture()
            .get();
    long watch =
        sessions
            .start(null, null, SpectatorSessions.Target.REGION, "main")
            .toCompletableFuture()
            .get();
    now = START.plus(Duration.ofSeconds(42));
    sessions.end(follow).toCompletableFuture().get();
    // Ending twice keeps the first end.
    now = START.plus(Duration.ofSeconds(50));
    sessions.end(follow).toCompletableFuture().get();

    assertThat(rows())
        .containsExactlyInAnyOrder(
            follow + "|s1|Sam|agent|a1|" + START + "|" + START.plusSeconds(42),
            watch + "|null|null|region|main|" + START + "|null");
  }

  private List<String> rows() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT session_id, spectator_id, name, target_kind, target_id, started_at,"
                    + " ended_at FROM spectator_sessions");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        OffsetDateTime ended = r.getObject(7, OffsetDateTime.class);
        rows.add(
            r.getLong(1)
                + "|"
                + r.getString(2)
                + "|"
                + r.getString(3)
                + "|"
                + r.getString(4)
                + "|"
                + r.getString(5)
                + "|"
                + r.getObject(6, OffsetDateTime.class).toInstant()
                + "|"
                + (ended == null ? null : ended.toInstant()));
      }
    }
    return rows;
  }
}
