package dev.clawbots.world;

/** Whether the sun is up in the world: day runs from 06:00 inclusive to 18:00 exclusive. */
public enum DayNight {
  DAY,
  NIGHT;

  /** The phase at the start of the in-world hour {@code hour} (0..23). */
  public static DayNight atHour(int hour) {
    if (hour < 0 || hour > 23) {
      throw new IllegalArgumentException("hour must be 0..23: " + hour);
    }
    return hour >= 6 && hour < 18 ? DAY : NIGHT;
  }

  /** The name used on the wire: {@code "day"} or {@code "night"}. */
  public String wireName() {
    return this == DAY ? "day" : "night";
  }
}
