package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorldClockTest {

  private static final Instant EPOCH = WorldClock.DEFAULT_EPOCH;

  private final ManualClock clock = new ManualClock(EPOCH);
  private final WorldClock world =
      new WorldClock(clock, EPOCH, WorldClock.DEFAULT_TICK_INTERVAL, WorldClock.DEFAULT_DAY_LENGTH);

  @ParameterizedTest(name = "{0} ns after the epoch is tick {1}")
  @CsvSource({
    "0, 0",
    "99999999, 0",
    "100000000, 1",
    "199999999, 1",
    "200000000, 2",
    "-1, -1",
    "-100000000, -1",
    "-100000001, -2",
  })
  void tickIsTheFloorOfElapsedIntervals(long nanosAfterEpoch, long expectedTick) {
    clock.set(EPOCH.plusNanos(nanosAfterEpoch));

    assertThat(world.currentTick()).isEqualTo(expectedTick);
  }

  @Test
  void tickFollowsTheClockAsItAdvances() {
    clock.advance(Duration.ofMillis(99));
    assertThat(world.currentTick()).isZero();

    clock.advance(Duration.ofMillis(1));
    assertThat(world.currentTick()).isEqualTo(1);

    clock.advance(Duration.ofHours(1));
    assertThat(world.currentTick()).isEqualTo(36_001);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1_000_000, -1, 0, 1, 12_345, 10_000_000_000L})
  void instantOfIsWhereTheTickStarts(long tick) {
    Instant start = world.instantOf(tick);

    clock.set(start);
    assertThat(world.currentTick()).isEqualTo(tick);
    clock.set(start.minusNanos(1));
    assertThat(world.currentTick()).isEqualTo(tick - 1);
    clock.set(start.plus(world.tickInterval()).minusNanos(1));
    assertThat(world.currentTick()).isEqualTo(tick);
  }

  @Test
  void countsTicksCenturiesAwayFromTheEpoch() {
    // More than 292 years of nanoseconds no longer fit in a long.
    WorldClock seconds =
        new WorldClock(clock, EPOCH, Duration.ofSeconds(1), WorldClock.DEFAULT_DAY_LENGTH);
    Instant farFuture = Instant.parse("3026-06-01T00:00:00.5Z");
    Instant farPast = Instant.parse("1026-06-01T00:00:00.5Z");

    clock.set(farFuture);
    assertThat(seconds.currentTick())
        .isEqualTo(farFuture.getEpochSecond() - EPOCH.getEpochSecond());
    clock.set(farPast);
    assertThat(seconds.currentTick()).isEqualTo(farPast.getEpochSecond() - EPOCH.getEpochSecond());
  }

  @ParameterizedTest(name = "tick {0} is {1}:{2} {3}")
  @CsvSource({
    "0, 0, 0, NIGHT",
    "99, 0, 0, NIGHT",
    "100, 0, 1, NIGHT",
    "35999, 5, 59, NIGHT",
    "36000, 6, 0, DAY",
    "72000, 12, 0, DAY",
    "107999, 17, 59, DAY",
    "108000, 18, 0, NIGHT",
    "143999, 23, 59, NIGHT",
    "144000, 0, 0, NIGHT",
    "-1, 23, 59, NIGHT",
    "-72000, 12, 0, DAY",
  })
  void timeOfDayWithDefaults(long tick, int hour, int minute, DayNight dayNight) {
    assertThat(world.timeOfDay(tick)).isEqualTo(new TimeOfDay(hour, minute, dayNight));
  }

  @Test
  void customTickIntervalAndDayLength() {
    WorldClock custom = new WorldClock(clock, EPOCH, Duration.ofMillis(250), Duration.ofHours(1));

    assertThat(custom.tickInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(custom.tickSeconds()).isEqualTo(0.25);
    assertThat(custom.dayLength()).isEqualTo(Duration.ofHours(1));
    assertThat(custom.ticksPerDay()).isEqualTo(14_400);
    assertThat(custom.timeOfDay(7_200)).isEqualTo(TimeOfDay.of(12, 0));
    assertThat(custom.timeOfDay(3_600)).isEqualTo(new TimeOfDay(6, 0, DayNight.DAY));

    clock.advance(Duration.ofMillis(1_000));
    assertThat(custom.currentTick()).isEqualTo(4);
  }

  @Test
  void aDayNeedNotBeAWholeNumberOfTicks() {
    WorldClock hourly = new WorldClock(clock, EPOCH, Duration.ofHours(1), Duration.ofHours(25));

    assertThat(hourly.ticksPerDay()).isEqualTo(25);
    // One hour is 1/25 of the day: 57.6 in-world minutes.
    assertThat(hourly.timeOfDay(1)).isEqualTo(TimeOfDay.of(0, 57));
    assertThat(hourly.timeOfDay(24)).isEqualTo(TimeOfDay.of(23, 2));
    assertThat(hourly.timeOfDay(25)).isEqualTo(TimeOfDay.of(0, 0));
  }

  @Test
  void timeOfDayFarFromTheEpoch() {
    long days = 1_000_000_000_000L;

    assertThat(world.timeOfDay(days * world.ticksPerDay() + 36_000)).isEqualTo(TimeOfDay.of(6, 0));
    for (long tick : new long[] {Long.MAX_VALUE, Long.MIN_VALUE}) {
      // With whole ticks per day, the minute of the day is simply the tick within the day / 100.
      long minuteOfDay = Math.floorMod(tick, world.ticksPerDay()) / 100;
      assertThat(world.timeOfDay(tick))
          .isEqualTo(TimeOfDay.of((int) (minuteOfDay / 60), (int) (minuteOfDay % 60)));
    }
  }

  @Test
  void untilTickCountsDownToTheTickStart() {
    clock.set(EPOCH.plusMillis(150));

    assertThat(world.untilTick(2)).isEqualTo(Duration.ofMillis(50));
    assertThat(world.untilTick(10)).isEqualTo(Duration.ofMillis(850));
    assertThat(world.untilTick(1)).isEqualTo(Duration.ZERO);
    assertThat(world.untilTick(-3)).isEqualTo(Duration.ZERO);

    clock.set(EPOCH.plusMillis(200));
    assertThat(world.untilTick(2)).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectsBadConfiguration() {
    Duration day = WorldClock.DEFAULT_DAY_LENGTH;

    assertThatThrownBy(() -> new WorldClock(clock, EPOCH, Duration.ZERO, day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WorldClock(clock, EPOCH, Duration.ofMillis(-100), day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new WorldClock(clock, EPOCH, Duration.ofMillis(100), Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WorldClock(null, EPOCH, Duration.ofMillis(100), day))
        .isInstanceOf(NullPointerException.class);
    assertThatNoException()
        .isThrownBy(
            () -> new WorldClock(clock, EPOCH, Duration.ofMillis(100), Duration.ofMillis(100)));
  }

  @Test
  void systemClockUsesTheDefaults() {
    WorldClock system = WorldClock.system();

    assertThat(system.epoch()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(system.tickInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(system.dayLength()).isEqualTo(Duration.ofHours(4));
    assertThat(system.ticksPerDay()).isEqualTo(144_000);
    Instant now = Clock.systemUTC().instant();
    assertThat(system.instantOf(system.currentTick()))
        .isBetween(now.minusSeconds(60), now.plusSeconds(60));
  }

  @Test
  void dayNightWireNamesAndTimeOfDayValidation() {
    assertThat(DayNight.DAY.wireName()).isEqualTo("day");
    assertThat(DayNight.NIGHT.wireName()).isEqualTo("night");
    assertThatThrownBy(() -> new TimeOfDay(24, 0, DayNight.NIGHT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TimeOfDay(12, 60, DayNight.DAY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TimeOfDay(12, 0, DayNight.NIGHT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
