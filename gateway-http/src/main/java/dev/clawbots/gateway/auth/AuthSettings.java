package dev.clawbots.gateway.auth;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code clawbots.auth} settings ({@code auth.conf}): where the token secret comes from, how
 * long tokens live, and what hashing an API key costs. Checked when read, so that a bad value stops
 * the server at start with a message naming the setting.
 *
 * @param jwtSecret the configured secret; empty in the embedded default, which keeps a generated
 *     one under {@code dataDir}
 */
public record AuthSettings(
    Optional<String> jwtSecret,
    Path dataDir,
    Duration tokenLifetime,
    Argon2Parameters apiKeyHashing) {

  public AuthSettings {
    if (tokenLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "clawbots.auth.token-lifetime must be at least 1s, not " + tokenLifetime);
    }
  }

  public static AuthSettings from(Config config) {
    Config c = config.getConfig("clawbots.auth");
    String secret = c.getString("jwt-secret");
    Config hashing = c.getConfig("api-key-hashing");
    Argon2Parameters argon2;
    try {
      argon2 =
          new Argon2Parameters(
              hashing.getInt("memory-kib"),
              hashing.getInt("iterations"),
              hashing.getInt("parallelism"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("clawbots.auth.api-key-hashing: " + e.getMessage(), e);
    }
    return new AuthSettings(
        secret.isBlank() ? Optional.empty() : Optional.of(secret),
        Path.of(c.getString("data-dir")),
        c.getDuration("token-lifetime"),
        argon2);
  }

  /** The secret: the configured one, or the embedded default's file under the data directory. */
  public JwtSecret loadSecret() {
    return JwtSecret.load(jwtSecret, dataDir);
  }

  /** Without the secret, which must never reach a log. */
  @Override
  public String toString() {
    return "AuthSettings[jwtSecret="
        + (jwtSecret.isPresent() ? "(configured)" : "(generated under " + dataDir + ")")
        + ", dataDir="
        + dataDir
        + ", tokenLifetime="
        + tokenLifetime
        + ", apiKeyHashing="
        + apiKeyHashing
        + "]";
  }
}
