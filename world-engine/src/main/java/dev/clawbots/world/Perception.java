package dev.clawbots.world;

import java.util.List;

/** What one agent perceives at a tick. */
public record Perception(
    long worldTick,
    Self self,
    List<Nearby> nearby,
    List<Heard> heard,
    TimeOfDay time,
    Weather weather) {

  /** The perceiving agent itself. {@code movingTo} is null when it stands still. */
  public record Self(String agentId, String regionId, Vec3 position, Vec3 movingTo) {}

  /** Another agent in view, {@code distance} metres away. */
  public record Nearby(String agentId, String name, Vec3 position, double distance) {}

  /** Default view radius, in metres. */
  public static final double DEFAULT_RADIUS = 64.0;

  /** Default and largest number of nearby agents reported. */
  public static final int DEFAULT_LIMIT = 50;
}
