package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A link to a Redis that is not there: the degraded start, with no Redis needed. */
class RedisLinkTest {

  private static final RedisLink.Settings FAST =
      new RedisLink.Settings(
          Duration.ofMillis(200),
          Duration.ofMillis(200),
          Duration.ofMillis(50),
          Duration.ofMillis(100));

  @Test
  void aLinkToAnUnreachableRedisIsDownAndFailsCallsAtOnce() throws Exception {
    try (RedisLink link = RedisLink.open("redis://127.0.0.1:" + TestCluster.freePort(), FAST)) {
      CompletableFuture<String> ping = link.call(r -> r.ping()).toCompletableFuture();

      assertThat(ping).isCompletedExceptionally();
      assertThatThrownBy(ping::join).hasCauseInstanceOf(RedisLink.RedisUnavailable.class);
      assertThat(link.isUp()).isFalse();
      assertThat(link.timesUp()).isZero();
    }
  }

  @Test
  void settingsSayWhichValueIsWrong() {
    assertThatThrownBy(
            () ->
                new RedisLink.Settings(
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commandTimeout");
    assertThatThrownBy(
            () ->
                new RedisLink.Settings(
                    Duration.ofSeconds(1), Duration.ofSeconds(1), null, Duration.ofSeconds(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("retryEvery");
  }
}
