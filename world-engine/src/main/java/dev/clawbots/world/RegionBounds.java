package dev.clawbots.world;

/**
 * The extent of every region: {@code 0 <= x,y < 256} metres on the ground and {@code 0 <= z <=
 * 4096} metres of height, as in OpenSimulator.
 */
public final class RegionBounds {

  /** The side of a region, in metres. */
  public static final double SIZE = 256.0;

  /** The highest a position may be, in metres. */
  public static final double MAX_Z = 4096.0;

  /** The largest ground coordinate inside a region: the upper bound is exclusive. */
  public static final double MAX_GROUND = Math.nextDown(SIZE);

  private RegionBounds() {}

  public static boolean contains(Vec3 p) {
    return groundContains(p.x()) && groundContains(p.y()) && p.z() >= 0 && p.z() <= MAX_Z;
  }

  static boolean groundContains(double v) {
    return v >= 0 && v < SIZE;
  }

  /** The nearest point inside the region. */
  public static Vec3 clamp(Vec3 p) {
    return new Vec3(clampGround(p.x()), clampGround(p.y()), Math.min(Math.max(p.z(), 0), MAX_Z));
  }

  static double clampGround(double v) {
    return Math.min(Math.max(v, 0), MAX_GROUND);
  }
}
