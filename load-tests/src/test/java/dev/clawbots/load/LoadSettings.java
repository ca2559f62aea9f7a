package dev.clawbots.load;

import java.time.Duration;

/**
 * Every parameter of a run, read from system properties so that one command line says what ran:
 * {@code -Dtarget=http://127.0.0.1:8080 -Dagents=1000 -Dregions=200 -Dspectators=0 -Dramp=60
 * -Dduration=120}. Bounds that fail the run are {@code -Dmax.p99.ms} (action to ack), {@code
 * -Dmax.heard.p99.ms} (speak to heard) and {@code -Dmax.errors.percent}.
 */
record LoadSettings(
    String target,
    int agents,
    int regions,
    int spectators,
    String spectatorMode,
    Duration ramp,
    Duration duration,
    double churnPerSecond,
    Duration churnLifetime,
    long maxP99Millis,
    long maxHeardP99Millis,
    double maxErrorPercent) {

  static LoadSettings fromSystemProperties() {
    LoadSettings settings =
        new LoadSettings(
            System.getProperty("target", "http://127.0.0.1:8080").replaceAll("/+$", ""),
            Integer.getInteger("agents", 50),
            Integer.getInteger("regions", 5),
            Integer.getInteger("spectators", 0),
            System.getProperty("spectator.mode", "mixed"),
            Duration.ofSeconds(Long.getLong("ramp", 10)),
            Duration.ofSeconds(Long.getLong("duration", 30)),
            Double.parseDouble(System.getProperty("churn.per.second", "0")),
            Duration.ofSeconds(Long.getLong("churn.lifetime", 30)),
            Long.getLong("max.p99.ms", 1000),
            Long.getLong("max.heard.p99.ms", 2000),
            Double.parseDouble(System.getProperty("max.errors.percent", "0")));
    settings.check();
    return settings;
  }

  private void check() {
    if (!target.startsWith("http://") && !target.startsWith("https://")) {
      throw new IllegalArgumentException("target must be an http(s) URL, was " + target);
    }
    if (agents < 0 || spectators < 0 || regions < 1) {
      throw new IllegalArgumentException(
          "agents and spectators must be 0 or more and regions 1 or more, were "
              + agents
              + ", "
              + spectators
              + ", "
              + regions);
    }
    if (!spectatorMode.equals("follow")
        && !spectatorMode.equals("watch")
        && !spectatorMode.equals("mixed")) {
      throw new IllegalArgumentException(
          "spectator.mode must be follow, watch or mixed, was " + spectatorMode);
    }
    if (ramp.isNegative() || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("ramp must be 0 or more and duration more than 0");
    }
  }

  /** The WebSocket base of {@link #target}. */
  String socketTarget() {
    return target.replaceFirst("^http", "ws");
  }

  /** When every long-lived user stops: after the ramp and the plateau. */
  Duration runLength() {
    return ramp.plus(duration);
  }

  @Override
  public String toString() {
    return "target="
        + target
        + " agents="
        + agents
        + " regions="
        + regions
        + " spectators="
        + spectators
        + " ("
        + spectatorMode
        + ") ramp="
        + ramp.toSeconds()
        + "s duration="
        + duration.toSeconds()
        + "s churn="
        + churnPerSecond
        + "/s";
  }
}
