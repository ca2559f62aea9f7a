package dev.clawbots.world;

/**
 * A point or direction in region-local metres. {@code x} and {@code y} run along the ground, {@code
 * z} is height.
 */
public record Vec3(double x, double y, double z) {

  public static final Vec3 ZERO = new Vec3(0, 0, 0);

  public Vec3 withX(double newX) {
    return new Vec3(newX, y, z);
  }

  public Vec3 withY(double newY) {
    return new Vec3(x, newY, z);
  }

  public Vec3 withZ(double newZ) {
    return new Vec3(x, y, newZ);
  }

  public Vec3 plus(Vec3 o) {
    return new Vec3(x + o.x, y + o.y, z + o.z);
  }

  public Vec3 minus(Vec3 o) {
    return new Vec3(x - o.x, y - o.y, z - o.z);
  }

  public double length() {
    return Math.sqrt(x * x + y * y + z * z);
  }

  public double distanceTo(Vec3 o) {
    return Math.sqrt(distanceSquaredTo(o));
  }

  public double distanceSquaredTo(Vec3 o) {
    double dx = x - o.x;
    double dy = y - o.y;
    double dz = z - o.z;
    return dx * dx + dy * dy + dz * dz;
  }

  /** True when no coordinate is NaN or infinite. */
  public boolean isFinite() {
    return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
  }
}
