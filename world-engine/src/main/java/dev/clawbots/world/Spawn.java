package dev.clawbots.world;

import java.nio.charset.StandardCharsets;

/**
 * Where an agent that joins without a position appears: scattered within a few metres of the
 * region's spawn point, so a crowd arriving together does not stand in one spot, and always at the
 * same place for the same agent, so a replayed join lands where the live one did.
 */
final class Spawn {

  /** How far from the spawn point an agent may appear. */
  static final double SCATTER_METRES = 8.0;

  private Spawn() {}

  static Vec3 near(Vec3 spawn, String agentId) {
    long h = fnv1a(agentId);
    double angle = ((h >>> 11) & 0xFFFF) / 65536.0 * 2 * Math.PI;
    // StrictMath, not Math: the same agent must spawn at bitwise the same place on every JVM.
    // sqrt spreads agents evenly over the disc instead of bunching them at its centre.
    double radius = StrictMath.sqrt(((h >>> 32) & 0xFFFF) / 65536.0) * SCATTER_METRES;
    return RegionBounds.clamp(
        new Vec3(
            spawn.x() + radius * StrictMath.cos(angle),
            spawn.y() + radius * StrictMath.sin(angle),
            spawn.z()));
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
