package dev.clawbots.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

  /** auth.conf as shipped, resolved without this machine's environment (JWT_SECRET). */
  static Config shipped() {
    return ConfigFactory.parseResources("auth.conf").resolve(ConfigResolveOptions.noSystem());
  }

  @Test
  void theDefaultsAreTheEmbeddedOnes() {
    AuthSettings s = AuthSettings.from(shipped());

    assertThat(s.jwtSecret()).isEmpty();
    assertThat(s.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(s.tokenLifetime()).isEqualTo(Duration.ofHours(24));
    assertThat(s.apiKeyHashing()).isEqualTo(Argon2Parameters.OWASP);
  }

  @Test
  void aConfiguredSecretIsReadAndNeverPrinted() {
    String secret = "0123456789abcdef0123456789abcdef-secret";
    Config c =
        ConfigFactory.parseString("clawbots.auth.jwt-secret = \"" + secret + "\"")
            .withFallback(shipped());
    AuthSettings s = AuthSettings.from(c);

    assertThat(s.jwtSecret()).contains(secret);
    assertThat(s.toString()).doesNotContain(secret);
    assertThat(s.loadSecret().bytes()).hasSize(secret.length());
  }

  @Test
  void jwtSecretFromTheEnvironmentOverridesTheFile() {
    // As the environment does: a root path that ${?JWT_SECRET} finds.
    Config c =
        ConfigFactory.parseString("JWT_SECRET = \"" + "s".repeat(40) + "\"")
            .withFallback(ConfigFactory.parseResources("auth.conf"))
            .resolve(ConfigResolveOptions.noSystem());

    assertThat(AuthSettings.from(c).jwtSecret()).contains("s".repeat(40));
  }

  @Test
  void badHashingParametersNameTheSetting() {
    Config c =
        ConfigFactory.parseString("clawbots.auth.api-key-hashing.iterations = 0")
            .withFallback(shipped());

    assertThatThrownBy(() -> AuthSettings.from(c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clawbots.auth.api-key-hashing")
        .hasMessageContaining("iterations");
  }

  @Test
  void argon2ParametersAreChecked() {
    assertThatThrownBy(() -> new Argon2Parameters(7, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory");
    assertThatThrownBy(() -> new Argon2Parameters(64, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parallelism");
  }
}
