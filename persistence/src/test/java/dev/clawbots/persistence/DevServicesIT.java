package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Proves that the services the test suite needs are up, as {@code deploy/dev-services.sh} promises:
 * PostgreSQL with a {@code clawbots} role owning a {@code clawbots} database, and Redis, both on
 * loopback. {@code DATABASE_URL} (a JDBC URL), {@code DATABASE_USER}, {@code DATABASE_PASSWORD} and
 * {@code REDIS_URL} point it elsewhere.
 */
class DevServicesIT {

  private static final String HINT = " (run deploy/dev-services.sh first)";

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  @Test
  void postgresHasTheClawbotsDatabaseAndRole() throws SQLException {
    String url = env("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/clawbots");
    String user = env("DATABASE_USER", "clawbots");
    String password = env("DATABASE_PASSWORD", "clawbots");
    String table = "dev_services_it_" + UUID.randomUUID().toString().replace("-", "");

    DriverManager.setLoginTimeout(10);
    try (Connection connection = connect(url, user, password);
        Statement statement = connection.createStatement()) {
      try (ResultSet rs = statement.executeQuery("SELECT current_database(), current_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("current_database()").isEqualTo("clawbots");
        assertThat(rs.getString(2)).as("current_user").isEqualTo(user);
      }

      statement.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, note TEXT NOT NULL)");
      try {
        assertThat(statement.executeUpdate("INSERT INTO " + table + " VALUES (1, 'hello')"))
            .isEqualTo(1);
        try (ResultSet rs = statement.executeQuery("SELECT note FROM " + table + " WHERE id = 1")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("hello");
        }
      } finally {
        statement.execute("DROP TABLE " + table);
      }
      try (ResultSet rs =
          statement.executeQuery("SELECT to_regclass('" + table + "') IS NULL AS dropped")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).as("table dropped").isTrue();
      }
    }
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    try {
      return DriverManager.getConnection(url, user, password);
    } catch (SQLException e) {
      throw new SQLException("cannot connect to " + url + " as " + user + HINT, e);
    }
  }

  private static StatefulRedisConnection<String, String> connect(RedisClient client, RedisURI uri) {
    try {
      return client.connect();
    } catch (RedisConnectionException e) {
      throw new IllegalStateException(
          "cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort() + HINT, e);
    }
  }

  @Test
  void redisAnswersPingSetGetWithTtl() {
    RedisURI uri = RedisURI.create(env("REDIS_URL", "redis://127.0.0.1:6379"));
    uri.setTimeout(Duration.ofSeconds(10));
    String key = "clawbots:dev-services-it:" + UUID.randomUUID();

    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = connect(client, uri)) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.ping()).as("PING" + HINT).isEqualTo("PONG");
      try {
        assertThat(redis.set(key, "hello", SetArgs.Builder.ex(60))).isEqualTo("OK");
        assertThat(redis.get(key)).isEqualTo("hello");
        assertThat(redis.ttl(key)).as("TTL of " + key).isBetween(1L, 60L);
      } finally {
        redis.del(key);
      }
      assertThat(redis.exists(key)).isZero();
    } finally {
      client.shutdown();
    }
  }
}
