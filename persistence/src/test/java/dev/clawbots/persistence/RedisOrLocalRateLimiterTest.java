package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the rate limiter asks Redis and when it counts on this node. */
class RedisOrLocalRateLimiterTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final RateDecision FROM_REDIS = new RateDecision(false, 0, Duration.ofSeconds(42));

  /** Health that a test switches by hand. */
  private static final class Switch implements RedisHealth {
    volatile boolean up = true;

    @Override
    public boolean isUp() {
      return up;
    }

    @Override
    public long timesUp() {
      return 1;
    }
  }

  /** A Redis limiter that answers FROM_REDIS, or fails while told to. */
  private static final class FakeRedis implements RateLimiter {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean failing;
    volatile boolean throwing;

    @Override
    public CompletionStage<RateDecision> tryAcquire(
        String agentId, String action, int limit, Duration window) {
      calls.incrementAndGet();
      if (throwing) {
        throw new IllegalStateException("connection closed");
      }
      return failing
          ? CompletableFuture.failedFuture(new RedisLink.RedisUnavailable("127.0.0.1:1"))
          : CompletableFuture.completedFuture(FROM_REDIS);
    }
  }

  private final Switch health = new Switch();
  private final FakeRedis redis = new FakeRedis();
  private final AtomicLong millis = new AtomicLong();
  private final LocalRateLimiter local = new LocalRateLimiter(millis::get, Duration.ofSeconds(1));
  private final RedisOrLocalRateLimiter limiter = new RedisOrLocalRateLimiter(redis, local, health);

  private RateDecision acquire() {
    return limiter.tryAcquire("a1", "move", 2, MINUTE).toCompletableFuture().join();
  }

  @Test
  void asksRedisWhileItIsUp() {
    assertThat(acquire()).isEqualTo(FROM_REDIS);
    assertThat(redis.calls).hasValue(1);
    assertThat(local.windows()).isZero();
    assertThat(limiter.localDecisions()).isZero();
  }

  @Test
  void countsLocallyWithoutTryingRedisWhileItIsDown() {
    health.up = false;
    assertThat(acquire()).isEqualTo(new RateDecision(true, 1, Duration.ZERO));
    assertThat(acquire()).isEqualTo(new RateDecision(true, 0, Duration.ZERO));
    assertThat(acquire()).isEqualTo(new RateDecision(false, 0, MINUTE));
    assertThat(redis.calls).hasValue(0);
    assertThat(limiter.localDecisions()).isEqualTo(3);
    assertThat(limiter.failures()).isZero();
  }

  @Test
  void countsLocallyWhenARedisCallFails() {
    redis.failing = true;
    assertThat(acquire()).isEqualTo(new RateDecision(true, 1, Duration.ZERO));
    redis.failing = false;
    redis.throwing = true;
    assertThat(acquire()).isEqualTo(new RateDecision(true, 0, Duration.ZERO));
    assertThat(redis.calls).hasValue(2);
    assertThat(limiter.failures()).isEqualTo(2);
    assertThat(limiter.localDecisions()).isEqualTo(2);
  }

  @Test
  void goesBackToRedisWhenItReturns() {
    health.up = false;
    acquire();
    health.up = true;
    assertThat(acquire()).isEqualTo(FROM_REDIS);
    assertThat(limiter.localDecisions()).isEqualTo(1);
  }
}
