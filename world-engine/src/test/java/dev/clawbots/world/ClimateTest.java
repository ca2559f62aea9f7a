package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClimateTest {

  private static final long TICKS_PER_HOUR = 36_000;
  private static final long TICKS_PER_DAY = 144_000;

  private final Climate climate =
      new Climate(WorldClock.DEFAULT_TICK_INTERVAL, WorldClock.DEFAULT_DAY_LENGTH);

  @Test
  void sameRegionAndTickAlwaysGiveTheSameWeather() {
    Climate other = new Climate(WorldClock.DEFAULT_TICK_INTERVAL, WorldClock.DEFAULT_DAY_LENGTH);

    for (String region : new String[] {"a", "harbour", "region-42", "x-1-y-2"}) {
      for (long tick : new long[] {Long.MIN_VALUE, -1, 0, 1, 123_456_789, Long.MAX_VALUE}) {
        assertThat(other.weather(region, tick)).isEqualTo(climate.weather(region, tick));
        assertThat(climate.weather(region, tick)).isEqualTo(climate.weather(region, tick));
      }
    }
  }

  @Test
  void staysWithinPhysicalRanges() {
    for (int r = 0; r < 50; r++) {
      for (long tick = -TICKS_PER_DAY; tick < 5 * TICKS_PER_DAY; tick += 1_234) {
        Weather w = climate.weather("range-" + r, tick);
        assertThat(w.temperatureC()).isBetween(-30.0, 45.0);
        assertThat(w.windSpeedMps()).isBetween(0.0, 30.0);
        assertThat(w.windDirectionDeg()).isGreaterThanOrEqualTo(0.0).isLessThan(360.0);
        assertThat(w.cloudCover()).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void changesOnlyALittleFromOneTickToTheNext() {
    for (String region : new String[] {"calm", "windy-ridge", "north-7"}) {
      // Two hours either side of the epoch, crossing several noise knots and tick 0.
      Weather previous = climate.weather(region, -2 * TICKS_PER_HOUR);
      for (long tick = -2 * TICKS_PER_HOUR + 1; tick <= 2 * TICKS_PER_HOUR; tick++) {
        Weather next = climate.weather(region, tick);
        assertThat(Math.abs(next.temperatureC() - previous.temperatureC())).isLessThan(0.05);
        assertThat(Math.abs(next.windSpeedMps() - previous.windSpeedMps())).isLessThan(0.05);
        assertThat(Math.abs(next.cloudCover() - previous.cloudCover())).isLessThan(0.001);
        assertThat(turn(previous.windDirectionDeg(), next.windDirectionDeg())).isLessThan(1.0);
        previous = next;
      }
    }
  }

  @Test
  void windTurnsTheShortWayRound() {
    long knotTicks = Climate.KNOT_SPAN.toMillis() / 100;
    for (int r = 0; r < 10; r++) {
      for (long knot = -5; knot < 15; knot++) {
        double turned = 0;
        double previous = climate.weather("gusty-" + r, knot * knotTicks).windDirectionDeg();
        for (long tick = knot * knotTicks + 10; tick <= (knot + 1) * knotTicks; tick += 10) {
          double next = climate.weather("gusty-" + r, tick).windDirectionDeg();
          turned += turn(previous, next);
          previous = next;
        }
        // Between two knots the wind never swings more than half a circle.
        assertThat(turned).isLessThanOrEqualTo(180.001);
      }
    }
  }

  @Test
  void changesOverHours() {
    for (int r = 0; r < 20; r++) {
      String region = "drift-" + r;
      double minTemperature = Double.MAX_VALUE;
      double maxTemperature = -Double.MAX_VALUE;
      Set<Long> directions = new HashSet<>();
      for (long tick = 0; tick < TICKS_PER_DAY; tick += TICKS_PER_HOUR / 2) {
        Weather w = climate.weather(region, tick);
        minTemperature = Math.min(minTemperature, w.temperatureC());
        maxTemperature = Math.max(maxTemperature, w.temperatureC());
        directions.add(Math.round(w.windDirectionDeg()));
      }
      assertThat(maxTemperature - minTemperature).as(region).isGreaterThan(2.0);
      assertThat(directions).as(region).hasSizeGreaterThan(3);
    }
  }

  @Test
  void afternoonsAreWarmerThanSmallHours() {
    double afternoon = 0;
    double smallHours = 0;
    for (int r = 0; r < 50; r++) {
      for (int day = 0; day < 10; day++) {
        long midnight = day * TICKS_PER_DAY;
        afternoon +=
            climate.weather("diurnal-" + r, midnight + 14 * TICKS_PER_DAY / 24).temperatureC();
        smallHours +=
            climate.weather("diurnal-" + r, midnight + 4 * TICKS_PER_DAY / 24).temperatureC();
      }
    }

    assertThat((afternoon - smallHours) / 500).isGreaterThan(3.0);
  }

  @Test
  void differentRegionsUsuallyHaveDifferentWeather() {
    Set<Long> temperatures = new HashSet<>();
    Set<Long> directions = new HashSet<>();
    for (int r = 0; r < 100; r++) {
      Weather w = climate.weather("town-" + r, 777_777);
      temperatures.add(Math.round(w.temperatureC() * 100));
      directions.add(Math.round(w.windDirectionDeg() * 100));
    }

    assertThat(temperatures).hasSizeGreaterThan(95);
    assertThat(directions).hasSizeGreaterThan(95);
  }

  @Test
  void everyKindOccursSomewhereAndSnowOnlyInFrost() {
    Set<WeatherKind> seen = EnumSet.noneOf(WeatherKind.class);
    for (int r = 0; r < 200; r++) {
      for (long tick = 0; tick < 10 * TICKS_PER_DAY; tick += TICKS_PER_HOUR / 4) {
        Weather w = climate.weather("sample-" + r, tick);
        seen.add(w.kind());
        if (w.kind() == WeatherKind.SNOW) {
          assertThat(w.temperatureC()).isLessThan(0.0);
        }
        if (w.kind() == WeatherKind.STORM) {
          assertThat(w.windSpeedMps()).isGreaterThanOrEqualTo(15.0);
          assertThat(w.cloudCover()).isGreaterThanOrEqualTo(0.8);
        }
        if (w.kind() == WeatherKind.FOG) {
          assertThat(w.windSpeedMps()).isLessThan(3.0);
        }
      }
    }

    assertThat(seen).containsExactlyInAnyOrder(WeatherKind.values());
  }

  @Test
  void followsWorldTimeRatherThanTickNumbers() {
    // At the same moment of world time, a 1 s tick clock and a 100 ms one agree on the weather.
    Climate coarse = new Climate(Duration.ofSeconds(1), WorldClock.DEFAULT_DAY_LENGTH);

    for (long tick = -5_000; tick < 50_000; tick += 997) {
      assertThat(coarse.weather("harbour", tick)).isEqualTo(climate.weather("harbour", tick * 10));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Harbour",
        "under_score",
        "space here",
        "caf\u00e9",
        "a12345678901234567890123456789012345678901234567890123456789012345"
      })
  void rejectsRegionIdsOutsideTheContract(String regionId) {
    assertThatThrownBy(() -> climate.weather(regionId, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsTheLongestRegionId() {
    assertThat(climate.weather("a".repeat(64), 0)).isNotNull();
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatThrownBy(() -> new Climate(Duration.ZERO, Duration.ofHours(4)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Climate(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wireNames() {
    assertThat(WeatherKind.CLEAR.wireName()).isEqualTo("clear");
    assertThat(WeatherKind.STORM.wireName()).isEqualTo("storm");
    assertThat(WeatherKind.SNOW.wireName()).isEqualTo("snow");
  }

  static double turn(double fromDeg, double toDeg) {
    double d = Math.abs(toDeg - fromDeg) % 360;
    return Math.min(d, 360 - d);
  }
}
