package dev.clawbots.persistence;

import com.typesafe.config.Config;
import io.lettuce.core.RedisURI;
import java.util.Optional;

/**
 * The {@code clawbots.redis} settings ({@code redis.conf}): whether there is a Redis, and how to
 * use it. Checked when read, so that a bad URL stops the server at start with a message that says
 * which setting is wrong, rather than surfacing later as an outage.
 *
 * @param url Redis's URL; empty when none is configured (the embedded default)
 */
public record RedisSettings(
    Optional<String> url, RedisKeys keys, int streamLength, RedisLink.Settings link) {

  public RedisSettings {
    if (streamLength < 1) {
      throw new IllegalArgumentException(
          "clawbots.redis.stream-length must be at least 1, not " + streamLength);
    }
    url.ifPresent(
        u -> {
          try {
            RedisURI.create(u);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "clawbots.redis.url (REDIS_URL) is not a Redis URL: " + e.getMessage(), e);
          }
        });
  }

  public static RedisSettings from(Config config) {
    Config c = config.getConfig("clawbots.redis");
    String url = c.getString("url").trim();
    return new RedisSettings(
        url.isEmpty() ? Optional.empty() : Optional.of(url),
        new RedisKeys(c.getString("prefix")),
        c.getInt("stream-length"),
        new RedisLink.Settings(
            c.getDuration("command-timeout"),
            c.getDuration("connect-timeout"),
            c.getDuration("retry-every"),
            c.getDuration("ping-every")));
  }

  /** Where Redis is, without credentials, or that there is none: for the startup line. */
  public String describe() {
    return url.map(
            u -> {
              RedisURI uri = RedisURI.create(u);
              return "redis://"
                  + uri.getHost()
                  + ":"
                  + uri.getPort()
                  + " (prefix '"
                  + keys.prefix()
                  + "')";
            })
        .orElse("no Redis (fan-out in the cluster)");
  }
}
