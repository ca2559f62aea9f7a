package dev.clawbots.world;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Deterministic weather for every region: a pure function of the region id and the tick, so any
 * node can compute it without coordination. Each quantity is value noise: pseudo-random knots every
 * {@link #KNOT_SPAN} of world time, eased between with smoothstep so weather drifts rather than
 * jumps. Each region also gets its own base climate, so regions differ.
 */
public final class Climate {

  /** The world time between noise knots: how quickly weather can turn. */
  public static final Duration KNOT_SPAN = Duration.ofMinutes(20);

  // Independent noise streams per quantity; any distinct odd constants will do.
  private static final long TEMPERATURE = 0x7A3C_51E2_9B4D_06F1L;
  private static final long WIND_SPEED = 0x1F8E_C2A7_4D39_B665L;
  private static final long WIND_DIRECTION = 0x5B21_9E0F_D7C4_3A8BL;
  private static final long CLOUD = 0xC46D_0A95_28E7_F1B3L;
  private static final long HUMIDITY = 0x6A09_E667_F3BC_C909L;
  private static final long BASE = 0x3C6E_F372_FE94_F82BL;

  private static final double DIURNAL_AMPLITUDE_C = 6;
  private static final double NOISE_AMPLITUDE_C = 6;
  private static final double WARMEST_DAY_FRACTION = 14.0 / 24;

  private final long tickNanos;
  private final long dayNanos;
  private final long knotTicks;

  /**
   * @throws IllegalArgumentException if the tick interval is not positive or the day is shorter
   *     than one tick
   */
  public Climate(Duration tickInterval, Duration dayLength) {
    this.tickNanos = WorldClock.tickNanos(tickInterval);
    this.dayNanos = WorldClock.dayNanos(tickInterval, dayLength);
    this.knotTicks = Math.max(1, KNOT_SPAN.toNanos() / tickNanos);
  }

  /**
   * The weather in region {@code regionId} during {@code tick}.
   *
   * @throws IllegalArgumentException if the id does not match {@code [a-z0-9-]{1,64}}
   */
  public Weather weather(String regionId, long tick) {
    long seed = seed(regionId);
    // Base climates span polar to tropical so every kind of weather happens somewhere.
    double baseTemperature = -12 + 42 * unit(seed, BASE, 0);
    double baseHumidity = 0.3 + 0.5 * unit(seed, BASE, 1);
    double windiness = 0.5 + unit(seed, BASE, 2);

    double cloud = noise(seed, CLOUD, tick);
    double humidity =
        clamp(baseHumidity + 0.6 * (noise(seed, HUMIDITY, tick) - 0.5) + 0.3 * (cloud - 0.5), 0, 1);
    double windSpeed =
        clamp(
            windiness * 20 * Math.pow(noise(seed, WIND_SPEED, tick), 1.5),
            0,
            Weather.MAX_WIND_SPEED_MPS);
    double windDirection = angleNoise(seed, tick);

    double dayFraction = WorldClock.nanosIntoDay(tick, tickNanos, dayNanos) / (double) dayNanos;
    // Cloud holds heat in at night and shades the sun by day, flattening the daily swing.
    double diurnal =
        DIURNAL_AMPLITUDE_C
            * (1 - 0.5 * cloud)
            * Math.cos(2 * Math.PI * (dayFraction - WARMEST_DAY_FRACTION));
    double temperature =
        clamp(
            baseTemperature
                + diurnal
                + NOISE_AMPLITUDE_C * (2 * noise(seed, TEMPERATURE, tick) - 1),
            Weather.MIN_TEMPERATURE_C,
            Weather.MAX_TEMPERATURE_C);

    return new Weather(
        kind(temperature, windSpeed, cloud, humidity),
        temperature,
        windSpeed,
        windDirection,
        cloud);
  }

  private static WeatherKind kind(double temperature, double wind, double cloud, double humidity) {
    boolean precipitating = cloud >= 0.7 && humidity >= 0.6;
    if (precipitating && temperature < 0) {
      return WeatherKind.SNOW;
    }
    if (cloud >= 0.8 && wind >= 15) {
      return WeatherKind.STORM;
    }
    if (precipitating) {
      return WeatherKind.RAIN;
    }
    if (humidity >= 0.8 && wind < 3) {
      return WeatherKind.FOG;
    }
    return cloud >= 0.5 ? WeatherKind.CLOUDY : WeatherKind.CLEAR;
  }

  // A value in [0, 1] eased between the knots either side of the tick.
  private double noise(long seed, long stream, long tick) {
    long knot = Math.floorDiv(tick, knotTicks);
    double t = smoothstep(Math.floorMod(tick, knotTicks) / (double) knotTicks);
    double from = unit(seed, stream, knot);
    return from + (unit(seed, stream, knot + 1) - from) * t;
  }

  // Like noise, but in degrees and turning the short way round, so 350 to 10 passes through 0.
  private double angleNoise(long seed, long tick) {
    long knot = Math.floorDiv(tick, knotTicks);
    double t = smoothstep(Math.floorMod(tick, knotTicks) / (double) knotTicks);
    double from = 360 * unit(seed, WIND_DIRECTION, knot);
    double to = 360 * unit(seed, WIND_DIRECTION, knot + 1);
    double turn = ((to - from) % 360 + 540) % 360 - 180;
    double angle = (from + turn * t) % 360;
    return angle < 0 ? angle + 360 : angle;
  }

  private static double smoothstep(double t) {
    return t * t * (3 - 2 * t);
  }

  // A uniform value in [0, 1) fixed by the region, the stream and the knot.
  private static double unit(long seed, long stream, long knot) {
    long bits = splitMix64(seed ^ splitMix64(stream + knot * 0x9E37_79B9_7F4A_7C15L));
    return (bits >>> 11) * 0x1.0p-53;
  }

  // FNV-1a over UTF-8 is stable across JVMs and releases, unlike String.hashCode's contract.
  private static long seed(String regionId) {
    requireRegionId(regionId);
    long hash = 0xCBF2_9CE4_8422_2325L;
    for (byte b : regionId.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= 0x0000_0100_0000_01B3L;
    }
    return splitMix64(hash);
  }

  private static long splitMix64(long x) {
    long z = x + 0x9E37_79B9_7F4A_7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  private static void requireRegionId(String regionId) {
    Objects.requireNonNull(regionId, "regionId");
    int length = regionId.length();
    boolean valid = length >= 1 && length <= 64;
    for (int i = 0; valid && i < length; i++) {
      char c = regionId.charAt(i);
      valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }
    if (!valid) {
      throw new IllegalArgumentException("region id must match [a-z0-9-]{1,64}: " + regionId);
    }
  }

  private static double clamp(double v, double min, double max) {
    return Math.min(Math.max(v, min), max);
  }
}
