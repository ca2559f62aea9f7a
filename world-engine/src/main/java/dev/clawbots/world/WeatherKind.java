package dev.clawbots.world;

import java.util.Locale;

/** The broad kind of weather a region has. */
public enum WeatherKind {
  CLEAR,
  CLOUDY,
  FOG,
  RAIN,
  STORM,
  SNOW;

  /** The name used on the wire, such as {@code "rain"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
