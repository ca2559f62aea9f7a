package dev.clawbots.persistence;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import kamon.Kamon;
import kamon.metric.Gauge;
import kamon.metric.Timer;

/**
 * HikariCP's measurements of the read side's pool, in Kamon: {@code clawbots_db_query_duration}
 * (how long each use of a connection took, a query or a transaction, as HikariCP reports it in
 * milliseconds) and {@code clawbots_db_connection_wait} (how long a caller waited for a
 * connection), both tagged with the pool's name; and {@code clawbots_db_connections} (the pool's
 * connections by {@code state}: {@code idle}, {@code active}, and {@code pending} for the callers
 * waiting for one) with {@code clawbots_db_connections_max}, sampled at each metric tick, which the
 * "database connections low" alert watches.
 */
final class KamonPoolMetrics implements MetricsTrackerFactory {

  static final String QUERY_DURATION = "clawbots.db.query.duration";
  static final String CONNECTION_WAIT = "clawbots.db.connection.wait";
  static final String CONNECTIONS = "clawbots.db.connections";
  static final String CONNECTIONS_MAX = "clawbots.db.connections.max";

  @Override
  public IMetricsTracker create(String poolName, PoolStats stats) {
    Timer usage =
        Kamon.timer(
                QUERY_DURATION,
                "time a read-side connection was in use: one query or one" + " transaction")
            .withTag("pool", poolName);
    Timer wait =
        Kamon.timer(CONNECTION_WAIT, "time spent waiting for a read-side connection")
            .withTag("pool", poolName);
    sample(poolName, "idle", stats::getIdleConnections);
    sample(poolName, "active", stats::getActiveConnections);
    sample(poolName, "pending", stats::getPendingThreads);
    Kamon.gauge(CONNECTIONS_MAX, "the most connections the read-side pool opens")
        .withTag("pool", poolName)
        .update(stats.getMaxConnections());
    return new IMetricsTracker() {
      @Override
      public void recordConnectionAcquiredNanos(long nanos) {
        wait.record(nanos);
      }

      @Override
      public void recordConnectionUsageMillis(long millis) {
        usage.record(TimeUnit.MILLISECONDS.toNanos(millis));
      }
    };
  }

  private static void sample(String pool, String state, IntSupplier count) {
    Kamon.gauge(CONNECTIONS, "read-side connections by state")
        .withTag("pool", pool)
        .withTag("state", state)
        .autoUpdate((Consumer<Gauge>) gauge -> gauge.update(count.getAsInt()));
  }
}
