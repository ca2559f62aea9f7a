package dev.clawbots.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that a test can hold shut, let through a given number of connections, or make fail
 * as if the database were away. Open by default.
 */
final class GatedDataSource implements DataSource {

  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  private final DataSource inner;
  private final Semaphore permits = new Semaphore(0);
  private volatile boolean open = true;
  private volatile boolean failing;
  private final AtomicInteger refused = new AtomicInteger();

  GatedDataSource(DataSource inner) {
    this.inner = inner;
  }

  /** From now on a connection waits for a permit ({@link #allow}) or for {@link #open}. */
  void hold() {
    open = false;
  }

  /** Lets {@code connections} more connections through while held. */
  void allow(int connections) {
    permits.release(connections);
  }

  void open() {
    open = true;
  }

  /** While failing, every connection fails at once. */
  void fail(boolean failing) {
    this.failing = failing;
  }

  /** Connections refused while failing, so far. */
  int refused() {
    return refused.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    long end = System.nanoTime() + LONGEST_WAIT.toNanos();
    try {
      while (!open && !permits.tryAcquire(5, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > end) {
          throw new SQLException("held shut for " + LONGEST_WAIT);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while held", e);
    }
    if (failing) {
      refused.incrementAndGet();
      throw new SQLException("the database is away (test)");
    }
    return inner.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return inner.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    inner.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    inner.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return inner.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return inner.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return inner.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return inner.isWrapperFor(type);
  }
}
