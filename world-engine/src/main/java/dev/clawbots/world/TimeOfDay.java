package dev.clawbots.world;

import java.util.Objects;

/** In-world time of day, derived from a tick; tick 0 is midnight. */
public record TimeOfDay(int hour, int minute, DayNight dayNight) {

  public TimeOfDay {
    if (hour < 0 || hour > 23) {
      throw new IllegalArgumentException("hour must be 0..23: " + hour);
    }
    if (minute < 0 || minute > 59) {
      throw new IllegalArgumentException("minute must be 0..59: " + minute);
    }
    Objects.requireNonNull(dayNight, "dayNight");
    // The phase is redundant with the hour; a mismatch would tell clients two different things.
    if (dayNight != DayNight.atHour(hour)) {
      throw new IllegalArgumentException(dayNight + " does not match hour " + hour);
    }
  }

  /** The time of day at {@code hour:minute}, with its day or night phase. */
  public static TimeOfDay of(int hour, int minute) {
    return new TimeOfDay(hour, minute, DayNight.atHour(hour));
  }
}
