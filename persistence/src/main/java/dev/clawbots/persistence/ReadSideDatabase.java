package dev.clawbots.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The read side's connection pool (HikariCP) and the executor its blocking JDBC runs on, shared by
 * the projection, the histories and the agent registry. The journal has a pool of its own (Slick's)
 * on the same database, so a slow query of one never takes the other's connections.
 */
public final class ReadSideDatabase implements AutoCloseable {

  private final HikariDataSource pool;
  private final Executor blocking;

  private ReadSideDatabase(HikariDataSource pool, Executor blocking) {
    this.pool = pool;
    this.blocking = blocking;
  }

  /**
   * Opens a fixed pool of {@code poolSize} connections to the journal's database.
   *
   * @param blocking where JDBC calls run; it should have {@code poolSize} threads (the {@code
   *     clawbots.jdbc-dispatcher})
   */
  public static ReadSideDatabase open(JournalConfig database, int poolSize, Executor blocking) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.url());
    config.setUsername(database.user());
    config.setPassword(database.password());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    config.setPoolName("read-side");
    // Start even while the database is away: readiness reports it, and the pool keeps trying.
    config.setInitializationFailTimeout(-1);
    config.setMetricsTrackerFactory(new KamonPoolMetrics());
    return new ReadSideDatabase(new HikariDataSource(config), blocking);
  }

  public DataSource dataSource() {
    return pool;
  }

  public Executor blocking() {
    return blocking;
  }

  /** Whether the database answers a trivial query now: {@code db} in {@code /health/ready}. */
  public CompletionStage<Boolean> answers() {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = pool.getConnection();
              Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            return s.execute("SELECT 1");
          } catch (SQLException e) {
            return false;
          }
        },
        blocking);
  }

  @Override
  public void close() {
    pool.close();
  }
}
