package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-node rate limiter on a clock moved by hand. */
class LocalRateLimiterTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final LocalRateLimiter limiter = new LocalRateLimiter(millis::get, Duration.ofSeconds(1));

  private RateDecision acquire(String agent, String action, int limit, Duration window) {
    return limiter.tryAcquire(agent, action, limit, window).toCompletableFuture().join();
  }

  private void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  @Test
  void allowsTheLimitThenRefusesUntilTheWindowEnds() {
    assertThat(acquire("a1", "move", 3, MINUTE))
        .isEqualTo(new RateDecision(true, 2, Duration.ZERO));
    advance(Duration.ofSeconds(10));
    assertThat(acquire("a1", "move", 3, MINUTE))
        .isEqualTo(new RateDecision(true, 1, Duration.ZERO));
    advance(Duration.ofSeconds(10));
    assertThat(acquire("a1", "move", 3, MINUTE))
        .isEqualTo(new RateDecision(true, 0, Duration.ZERO));
    advance(Duration.ofSeconds(10));
    assertThat(acquire("a1", "move", 3, MINUTE))
        .isEqualTo(new RateDecision(false, 0, Duration.ofSeconds(30)));
    advance(Duration.ofMillis(29_999));
    assertThat(acquire("a1", "move", 3, MINUTE))
        .isEqualTo(new RateDecision(false, 0, Duration.ofMillis(1)));
  }

  @Test
  void aNewWindowOpensWhenTheOldOneEnds() {
    for (int i = 0; i < 4; i++) {
      acquire("a1", "move", 3, MINUTE);
    }
    advance(MINUTE);
    assertThat(acquire("a1", "move", 3, MINUTE))
        .isEqualTo(new RateDecision(true, 2, Duration.ZERO));
    // The new window runs a full minute from its first acquisition.
    acquire("a1", "move", 3, MINUTE);
    acquire("a1", "move", 3, MINUTE);
    advance(Duration.ofSeconds(59));
    assertThat(acquire("a1", "move", 3, MINUTE).retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void refusedAcquisitionsDoNotPushTheWindowBack() {
    acquire("a1", "speak", 1, MINUTE);
    for (int s = 1; s < 60; s++) {
      advance(Duration.ofSeconds(1));
      assertThat(acquire("a1", "speak", 1, MINUTE).allowed()).isFalse();
    }
    advance(Duration.ofSeconds(1));
    assertThat(acquire("a1", "speak", 1, MINUTE).allowed()).isTrue();
  }

  @Test
  void countsEachAgentAndActionApart() {
    acquire("a1", "move", 1, MINUTE);
    assertThat(acquire("a1", "move", 1, MINUTE).allowed()).isFalse();
    assertThat(acquire("a1", "speak", 1, MINUTE).allowed()).isTrue();
    assertThat(acquire("a2", "move", 1, MINUTE).allowed()).isTrue();
    // "a1:x" + "y" and "a1" + "x:y" would collide in a key made by concatenation.
    acquire("a1:x", "y", 1, MINUTE);
    assertThat(acquire("a1", "x:y", 1, MINUTE).allowed()).isTrue();
  }

  @Test
  void endedWindowsAreDroppedByTheNextSweep() {
    for (int i = 0; i < 1000; i++) {
      acquire("agent-" + i, "move", 5, Duration.ofMillis(100));
    }
    acquire("long", "move", 5, MINUTE);
    assertThat(limiter.windows()).isEqualTo(1001);

    advance(Duration.ofMillis(500));
    acquire("long", "move", 5, MINUTE);
    assertThat(limiter.windows()).as("no sweep before a second has passed").isEqualTo(1001);

    advance(Duration.ofMillis(500));
    acquire("long", "move", 5, MINUTE);
    assertThat(limiter.windows()).as("only the open window is left").isEqualTo(1);
    assertThat(acquire("long", "move", 5, MINUTE).remaining())
        .as("the open window kept its count")
        .isEqualTo(1);
  }

  @Test
  void manyThreadsAtOnceGetExactlyTheLimit() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<RateDecision>> decisions = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        decisions.add(
            CompletableFuture.supplyAsync(() -> acquire("a1", "move", 500, MINUTE), threads));
      }
      List<Integer> remaining = new ArrayList<>();
      for (CompletableFuture<RateDecision> d : decisions) {
        if (d.get().allowed()) {
          remaining.add(d.get().remaining());
        }
      }
      assertThat(remaining).hasSize(500).doesNotHaveDuplicates();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void refusesLimitsItCannotApply() {
    assertThatThrownBy(() -> limiter.tryAcquire("a1", "move", 0, MINUTE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit must be at least 1");
    assertThatThrownBy(() -> limiter.tryAcquire("a1", "move", 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window must be at least 1 ms");
  }
}
