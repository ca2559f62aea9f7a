package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Revocations in the read side's {@code revoked_tokens} table: the record that survives Redis, and
 * what the server checks while Redis is away. JDBC blocks, so every call runs on the executor it is
 * given (the JDBC dispatcher) and answers with a stage, as in {@link AgentRegistry}.
 */
public final class DatabaseRevocations implements Revocations {

  private final DataSource pool;
  private final Executor blocking;
  private final Clock clock;

  /**
   * @param pool the read side's database ({@link ReadSideDatabase})
   * @param clock what "now" is when a check or a purge compares expiries
   */
  public DatabaseRevocations(DataSource pool, Executor blocking, Clock clock) {
    this.pool = pool;
    this.blocking = blocking;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> revoke(String jti, Instant expiresAt) {
    Revocations.checkJti(jti);
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)")) {
            s.setString(1, jti);
            s.setObject(2, utc(expiresAt));
            s.executeUpdate();
            return null;
          } catch (SQLException e) {
            // 23505 on both databases: already revoked. A jti names one token, with one expiry.
            if ("23505".equals(e.getSQLState())) {
              return null;
            }
            throw new CompletionException(e);
          }
        });
  }

  @Override
  public CompletionStage<Boolean> isRevoked(String jti) {
    Revocations.checkJti(jti);
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "SELECT 1 FROM revoked_tokens WHERE jti = ? AND expires_at > ?")) {
            s.setString(1, jti);
            s.setObject(2, utc(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
  }

  /** The revocations not expired yet, by jti, soonest expiry first: what Redis is refilled with. */
  public CompletionStage<Map<String, Instant>> unexpired() {
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > ?"
                          + " ORDER BY expires_at")) {
            s.setObject(1, utc(clock.instant()));
            Map<String, Instant> revoked = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                revoked.put(
                    r.getString("jti"),
                    r.getObject("expires_at", OffsetDateTime.class).toInstant());
              }
            }
            return revoked;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
  }

  /**
   * Deletes the revocations whose tokens have expired, which no check needs any more.
   *
   * @return how many it deleted
   */
  public CompletionStage<Integer> purgeExpired() {
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement("DELETE FROM revoked_tokens WHERE expires_at <= ?")) {
            s.setObject(1, utc(clock.instant()));
            return s.executeUpdate();
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
  }

  private <T> CompletionStage<T> run(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, blocking);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
