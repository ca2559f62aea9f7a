package dev.clawbots.persistence;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The machine's Redis ({@code REDIS_URL}, default {@code redis://127.0.0.1:6379}), which other
 * builds use at the same time: each test works under a prefix of its own ({@link #newPrefix}) and
 * deletes its keys afterwards ({@link #deleteUnder}).
 */
final class SharedRedis {

  static final String URL =
      Optional.ofNullable(System.getenv("REDIS_URL")).orElse("redis://127.0.0.1:6379");

  private SharedRedis() {}

  /** A prefix no other run uses: {@code it-{what}-{random}:}. */
  static String newPrefix(String what) {
    return "it-" + what + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + ":";
  }

  /** Runs {@code work} on a connection of its own (blocking commands, for assertions). */
  static void with(Consumer<RedisCommands<String, String>> work) {
    RedisClient client = RedisClient.create(URL);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      work.accept(c.sync());
    } finally {
      client.shutdown();
    }
  }

  /** Deletes every key under {@code prefix}. */
  static void deleteUnder(String prefix) {
    with(
        redis -> {
          ScanCursor cursor = ScanCursor.INITIAL;
          do {
            KeyScanCursor<String> page =
                redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            if (!page.getKeys().isEmpty()) {
              redis.del(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
          } while (!cursor.isFinished());
        });
  }
}
