package dev.clawbots.persistence;

import dev.clawbots.world.Permission;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The registry of agents in the read side's {@code agents} table: register, look up, and add to an
 * agent's statistics. JDBC blocks, so every call runs on the executor it is given (a dispatcher of
 * its own, so that a slow database never starves the actors) and answers with a stage.
 */
public final class AgentRegistry {

  /** Registering an id that is taken. */
  public static final class AgentExists extends RuntimeException {
    public AgentExists(String agentId) {
      super("agent " + agentId + " is already registered");
    }
  }

  private static final String COLUMNS =
      "agent_id, name, description, avatar, owner_id, default_region, api_key_hash, permissions,"
          + " prompts_allowed, created_at, last_seen, message_count, total_online_seconds";

  private final DataSource pool;
  private final Executor blocking;

  /**
   * @param pool the read side's database ({@link ReadSideDatabase})
   * @param blocking where JDBC runs: as many threads as the pool has connections
   */
  public AgentRegistry(DataSource pool, Executor blocking) {
    this.pool = pool;
    this.blocking = blocking;
  }

  /** Stores a new agent; fails with {@link AgentExists} when its id is taken. */
  public CompletionStage<AgentRecord> register(AgentRecord agent) {
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO agents ("
                          + COLUMNS
                          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, agent.agentId());
            s.setString(2, agent.name());
            s.setString(3, agent.description());
            s.setString(4, agent.avatar());
            s.setString(5, agent.ownerId());
            s.setString(6, agent.defaultRegion());
            s.setString(7, agent.apiKeyHash());
            s.setArray(8, permissions(c, agent.permissions()));
            s.setBoolean(9, agent.promptsAllowed());
            s.setObject(10, utc(agent.createdAt()));
            s.setObject(11, agent.lastSeen() == null ? null : utc(agent.lastSeen()));
            s.setLong(12, agent.messageCount());
            s.setLong(13, agent.totalOnlineSeconds());
            s.executeUpdate();
            return agent;
          } catch (SQLException e) {
            // 23505 (PostgreSQL) and 23505 (H2): unique violation.
            if ("23505".equals(e.getSQLState())) {
              throw new AgentExists(agent.agentId());
            }
            throw new CompletionException(e);
          }
        });
  }

  /** Whether spectators may prompt the agent from now on; false for an unknown agent. */
  public CompletionStage<Boolean> allowPrompts(String agentId, boolean allowed) {
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement("UPDATE agents SET prompts_allowed = ? WHERE agent_id = ?")) {
            s.setBoolean(1, allowed);
            s.setString(2, agentId);
            return s.executeUpdate() == 1;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
  }

  public CompletionStage<Optional<AgentRecord>> find(String agentId) {
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement("SELECT " + COLUMNS + " FROM agents WHERE agent_id = ?")) {
            s.setString(1, agentId);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(read(r)) : Optional.<AgentRecord>empty();
            }
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
  }

  /**
   * Adds to an agent's statistics in one statement, so that concurrent updates never lose one:
   * {@code messages} more messages, {@code onlineSeconds} more time online, and {@code seenAt} as
   * last seen unless a later time is already there. Answers false for an unknown agent.
   */
  public CompletionStage<Boolean> recordActivity(
      String agentId, long messages, long onlineSeconds, Instant seenAt) {
    return run(
        () -> {
          try (Connection c = pool.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE agents SET message_count = message_count + ?,"
                          + " total_online_seconds = total_online_seconds + ?,"
                          + " last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ?"
                          + " ELSE last_seen END"
                          + " WHERE agent_id = ?")) {
            OffsetDateTime seen = utc(seenAt);
            s.setLong(1, messages);
            s.setLong(2, onlineSeconds);
            s.setObject(3, seen);
            s.setObject(4, seen);
            s.setString(5, agentId);
            return s.executeUpdate() == 1;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        });
  }

  private <T> CompletionStage<T> run(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, blocking);
  }

  private static Array permissions(Connection c, Set<Permission> permissions) throws SQLException {
    return c.createArrayOf(
        "varchar", permissions.stream().map(Permission::wireName).sorted().toArray());
  }

  private static AgentRecord read(ResultSet r) throws SQLException {
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    for (Object p : (Object[]) r.getArray("permissions").getArray()) {
      // A permission this version does not know (written by a newer one) is left out.
      Permission.fromWire(String.valueOf(p)).ifPresent(permissions::add);
    }
    OffsetDateTime lastSeen = r.getObject("last_seen", OffsetDateTime.class);
    return new AgentRecord(
        r.getString("agent_id"),
        r.getString("name"),
        r.getString("description"),
        r.getString("avatar"),
        r.getString("owner_id"),
        r.getString("default_region"),
        r.getString("api_key_hash"),
        permissions,
        r.getBoolean("prompts_allowed"),
        r.getObject("created_at", OffsetDateTime.class).toInstant(),
        lastSeen == null ? null : lastSeen.toInstant(),
        r.getLong("message_count"),
        r.getLong("total_online_seconds"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
