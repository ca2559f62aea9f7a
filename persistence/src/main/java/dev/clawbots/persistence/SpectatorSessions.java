package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Who watched what and for how long: a row of {@code spectator_sessions} from the moment a
 * spectator starts following an agent or watching a region until it stops or turns elsewhere.
 * Anonymous watchers (no token) have no spectator id.
 */
public final class SpectatorSessions {

  /** What is watched: {@code agent} (followed) or {@code region}. */
  public enum Target {
    AGENT,
    REGION
  }

  private final DataSource pool;
  private final Executor blocking;
  private final Clock clock;

  public SpectatorSessions(DataSource pool, Executor blocking, Clock clock) {
    this.pool = pool;
    this.blocking = blocking;
    this.clock = clock;
  }

  /** Starts a session; completes with its id. */
  public CompletionStage<Long> start(
      String spectatorId, String name, Target target, String targetId) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO spectator_sessions"
                          + " (spectator_id, name, target_kind, target_id, started_at)"
                          + " VALUES (?, ?, ?, ?, ?)",
                      Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, spectatorId);
            s.setString(2, name);
            s.setString(3, target.name().toLowerCase());
            s.setString(4, targetId);
            s.setObject(5, clock.instant().atOffset(ZoneOffset.UTC));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
              keys.next();
              return keys.getLong(1);
            }
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** Ends session {@code id} now. */
  public CompletionStage<Void> end(long id) {
    return CompletableFuture.runAsync(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE spectator_sessions SET ended_at = ?"
                          + " WHERE session_id = ? AND ended_at IS NULL")) {
            s.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
            s.setLong(2, id);
            s.executeUpdate();
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }
}
