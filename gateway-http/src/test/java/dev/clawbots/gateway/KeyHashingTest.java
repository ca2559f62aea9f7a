package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyHashingTest {

  private final ExecutorService oneThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    oneThread.shutdownNow();
  }

  @Test
  void workBeyondTheBoundIsRefusedAtOnceWithRetryAfter() throws Exception {
    KeyHashing hashing = new KeyHashing(oneThread, 3, 1000);
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<String>> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      accepted.add(hashing.run(() -> await(release)));
    }

    CompletableFuture<String> refused = hashing.run(() -> "never run");

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApiError.Failure.class,
            f -> {
              assertThat(f.error().code()).isEqualTo("unavailable");
              assertThat(f.error().retryAfterMs()).isEqualTo(1000L);
            });
    assertThat(hashing.waiting()).isEqualTo(3);

    release.countDown();
    for (CompletableFuture<String> job : accepted) {
      assertThat(job.get(10, TimeUnit.SECONDS)).isEqualTo("hashed");
    }
    assertThat(hashing.waiting()).isZero();
    assertThat(hashing.run(() -> "again").get(10, TimeUnit.SECONDS)).isEqualTo("again");
  }

  @Test
  void failedWorkFreesItsPlace() throws Exception {
    KeyHashing hashing = new KeyHashing(oneThread, 1, 1000);
    CompletableFuture<String> failing =
        hashing.run(
            () -> {
              throw new IllegalStateException("argon2 failed");
            });

    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(hashing.run(() -> "next").get(10, TimeUnit.SECONDS)).isEqualTo("next");
  }

  @Test
  void aBoundBelowOneIsAConfigurationError() {
    assertThatThrownBy(() -> new KeyHashing(oneThread, 0, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-waiting");
  }

  private static String await(CountDownLatch release) {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "hashed";
  }
}
