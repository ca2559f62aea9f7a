package dev.clawbots.world;

import java.util.Objects;

/**
 * The weather in a region at one tick. Wind direction is where the wind blows from, in degrees
 * clockwise from north, in {@code [0, 360)}; cloud cover runs from 0 (clear sky) to 1 (overcast).
 */
public record Weather(
    WeatherKind kind,
    double temperatureC,
    double windSpeedMps,
    double windDirectionDeg,
    double cloudCover) {

  /** The coldest temperature the world produces, in °C. */
  public static final double MIN_TEMPERATURE_C = -30;

  /** The hottest temperature the world produces, in °C. */
  public static final double MAX_TEMPERATURE_C = 45;

  /** The strongest wind the world produces, in m/s. */
  public static final double MAX_WIND_SPEED_MPS = 30;

  public Weather {
    Objects.requireNonNull(kind, "kind");
    // Written as negated ranges so that NaN is rejected too.
    if (!(temperatureC >= MIN_TEMPERATURE_C && temperatureC <= MAX_TEMPERATURE_C)) {
      throw new IllegalArgumentException("temperature out of range: " + temperatureC);
    }
    if (!(windSpeedMps >= 0 && windSpeedMps <= MAX_WIND_SPEED_MPS)) {
      throw new IllegalArgumentException("wind speed out of range: " + windSpeedMps);
    }
    if (!(windDirectionDeg >= 0 && windDirectionDeg < 360)) {
      throw new IllegalArgumentException("wind direction out of range: " + windDirectionDeg);
    }
    if (!(cloudCover >= 0 && cloudCover <= 1)) {
      throw new IllegalArgumentException("cloud cover out of range: " + cloudCover);
    }
    if (kind == WeatherKind.SNOW && !(temperatureC < 0)) {
      throw new IllegalArgumentException("snow needs frost: " + temperatureC);
    }
  }
}
