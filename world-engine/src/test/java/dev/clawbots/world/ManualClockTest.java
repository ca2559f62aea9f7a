package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void readsTheStartInstantInUtcUntilMoved() {
    ManualClock clock = new ManualClock(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advancesAndSets() {
    ManualClock clock = new ManualClock(START);

    clock.advance(Duration.ofMillis(150));
    clock.advance(Duration.ofNanos(1));
    assertThat(clock.instant()).isEqualTo(START.plusMillis(150).plusNanos(1));

    clock.set(START.minusSeconds(5));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(5));
  }

  @Test
  void refusesToAdvanceBackwards() {
    ManualClock clock = new ManualClock(START);

    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void withZoneSharesTheTimeSource() {
    ManualClock utc = new ManualClock(START);
    Clock paris = utc.withZone(ZoneId.of("Europe/Paris"));

    utc.advance(Duration.ofSeconds(3));

    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris.instant()).isEqualTo(START.plusSeconds(3));
    assertThat(paris.withZone(ZoneOffset.UTC)).isEqualTo(utc);
    assertThat(new ManualClock(START)).isNotEqualTo(utc);
  }

  @Test
  void concurrentAdvancesAreNotLost() throws InterruptedException {
    ManualClock clock = new ManualClock(START);
    int threads = 8;
    int advancesPerThread = 10_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int n = 0; n < advancesPerThread; n++) {
                  clock.advance(Duration.ofNanos(1));
                }
              });
      worker.start();
      workers.add(worker);
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(clock.instant()).isEqualTo(START.plusNanos((long) threads * advancesPerThread));
  }
}
