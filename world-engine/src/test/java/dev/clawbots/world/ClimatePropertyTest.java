package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ClimatePropertyTest {

  private final Climate climate =
      new Climate(WorldClock.DEFAULT_TICK_INTERVAL, WorldClock.DEFAULT_DAY_LENGTH);

  @Property
  void deterministicAcrossInstances(
      @ForAll("regionIds") String regionId, @ForAll("ticks") long tick) {
    Climate other = new Climate(WorldClock.DEFAULT_TICK_INTERVAL, WorldClock.DEFAULT_DAY_LENGTH);

    assertThat(other.weather(regionId, tick)).isEqualTo(climate.weather(regionId, tick));
  }

  @Property
  void withinPhysicalRanges(@ForAll("regionIds") String regionId, @ForAll("ticks") long tick) {
    Weather w = climate.weather(regionId, tick);

    assertThat(w.temperatureC()).isBetween(-30.0, 45.0);
    assertThat(w.windSpeedMps()).isBetween(0.0, 30.0);
    assertThat(w.windDirectionDeg()).isGreaterThanOrEqualTo(0.0).isLessThan(360.0);
    assertThat(w.cloudCover()).isBetween(0.0, 1.0);
    if (w.kind() == WeatherKind.SNOW) {
      assertThat(w.temperatureC()).isLessThan(0.0);
    }
  }

  @Property
  void smoothBetweenConsecutiveTicks(
      @ForAll("regionIds") String regionId, @ForAll("ticks") long tick) {
    // The last tick has no successor; tick + 1 would wrap to the far past.
    Assume.that(tick != Long.MAX_VALUE);
    Weather now = climate.weather(regionId, tick);
    Weather next = climate.weather(regionId, tick + 1);

    assertThat(Math.abs(next.temperatureC() - now.temperatureC())).isLessThan(0.05);
    assertThat(Math.abs(next.windSpeedMps() - now.windSpeedMps())).isLessThan(0.05);
    assertThat(ClimateTest.turn(now.windDirectionDeg(), next.windDirectionDeg())).isLessThan(1.0);
  }

  @Property
  void rejectsIdsWithAForeignCharacter(
      @ForAll("regionIds") String regionId, @ForAll("foreignChars") char foreign) {
    String bad = regionId.substring(0, regionId.length() / 2) + foreign;

    assertThatThrownBy(() -> climate.weather(bad, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> regionIds() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('0', '9')
        .withChars('-')
        .ofMinLength(1)
        .ofMaxLength(64);
  }

  @Provide
  Arbitrary<Long> ticks() {
    // Mostly near the epoch, where the world lives, but the whole range must work.
    return Arbitraries.oneOf(
        Arbitraries.longs().between(-10_000_000L, 1_000_000_000L), Arbitraries.longs());
  }

  @Provide
  Arbitrary<Character> foreignChars() {
    return Arbitraries.chars()
        .filter(c -> !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
  }
}
