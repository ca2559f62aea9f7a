package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseResources("redis.conf"))
        .resolve();
  }

  @Test
  void theEmbeddedDefaultHasNoRedisAndBareNames() {
    // REDIS_URL may be set where the tests run; the file's own default is what is checked here.
    RedisSettings settings = RedisSettings.from(with("clawbots.redis.url = \"\""));
    assertThat(settings.url()).isEmpty();
    assertThat(settings.keys().events("main")).isEqualTo("events:main");
    assertThat(settings.streamLength()).isEqualTo(1000);
    assertThat(settings.link()).isEqualTo(RedisLink.Settings.defaults());
    assertThat(settings.describe()).contains("no Redis");
    assertThat(FeedSubscriptions.Settings.from(with("")))
        .isEqualTo(new FeedSubscriptions.Settings(Duration.ofSeconds(1), 500));
  }

  @Test
  void aUrlAndPrefixSwitchRedisOnWithoutShowingThePassword() {
    RedisSettings settings =
        RedisSettings.from(
            with(
                "clawbots.redis.url = \"redis://:s3cret@10.0.0.5:6380\"\n"
                    + "clawbots.redis.prefix = \"world1:\""));
    assertThat(settings.url()).contains("redis://:s3cret@10.0.0.5:6380");
    assertThat(settings.keys().revoked("j1")).isEqualTo("world1:revoked:j1");
    assertThat(settings.describe()).isEqualTo("redis://10.0.0.5:6380 (prefix 'world1:')");
  }

  @Test
  void badValuesAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> RedisSettings.from(with("clawbots.redis.url = \"http://nope\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REDIS_URL");
    assertThatThrownBy(() -> RedisSettings.from(with("clawbots.redis.stream-length = 0")))
        .hasMessageContaining("stream-length");
    assertThatThrownBy(() -> RedisSettings.from(with("clawbots.redis.ping-every = 0s")))
        .hasMessageContaining("pingEvery");
    assertThatThrownBy(() -> FeedSubscriptions.Settings.from(with("clawbots.fan-out.batch = 0")))
        .hasMessageContaining("clawbots.fan-out");
  }
}
