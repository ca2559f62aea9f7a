package dev.clawbots.world;

/**
 * A straight walk, as a closed form of the tick: where the walker is at tick {@code n} depends only
 * on the walk and {@code n}, never on how many steps were taken to get there. That is what makes a
 * region replayed from its journal land on bitwise the same positions as the live one.
 *
 * @param origin where the walk started, at {@code startTick}
 * @param target where it ends; outside the region when {@code exitEdge} is set
 * @param speed metres per second
 * @param metresPerTick how far it goes each tick
 * @param startTick the tick the walk was decided at
 * @param endTick the first tick at which the walker has arrived, or has left the region
 * @param exitEdge the edge the walker crosses at {@code endTick}, or null if it arrives
 */
public record Walk(
    Vec3 origin,
    Vec3 target,
    double speed,
    double metresPerTick,
    long startTick,
    long endTick,
    Edge exitEdge) {

  public static final double DEFAULT_SPEED = 3.2;
  public static final double MAX_SPEED = 10.0;

  // Walks longer than this many ticks (28 million years at 100 ms) never end (see arrivalTick).
  // Below it a tick count is exact as a double, so settling on the arrival tick takes few steps.
  private static final double NEVER_TICKS = 0x1p53;

  /**
   * Plans a walk from {@code origin} to {@code target} starting at {@code startTick}. A walk that
   * leaves the region must pass {@code exitEdge}; one that does not must have its target inside.
   */
  static Walk plan(
      Vec3 origin, Vec3 target, double speed, double tickSeconds, long startTick, Edge exitEdge) {
    double metresPerTick = speed * tickSeconds;
    double length = origin.distanceTo(target);
    Walk probe =
        new Walk(origin, target, speed, metresPerTick, startTick, Long.MAX_VALUE, exitEdge);
    long end = exitEdge == null ? probe.arrivalTick(length) : probe.exitTick(length);
    return new Walk(origin, target, speed, metresPerTick, startTick, end, exitEdge);
  }

  /** Metres walked by tick {@code n}. The one expression every caller must share. */
  double travelledAt(long n) {
    return metresPerTick * (double) (n - startTick);
  }

  /** Where the walker is at tick {@code n}; at or after {@code endTick} it is at its end. */
  public Vec3 positionAt(long n) {
    if (n <= startTick) {
      return origin;
    }
    if (exitEdge == null && n >= endTick) {
      return target;
    }
    double length = origin.distanceTo(target);
    double f = Math.min(travelledAt(n) / length, 1.0);
    Vec3 p =
        new Vec3(
            origin.x() + (target.x() - origin.x()) * f,
            origin.y() + (target.y() - origin.y()) * f,
            origin.z() + (target.z() - origin.z()) * f);
    // Rounding must never carry a walk that ends inside the region over its edge.
    return exitEdge == null ? RegionBounds.clamp(p) : p;
  }

  public boolean isLeaving() {
    return exitEdge != null;
  }

  private long arrivalTick(double length) {
    if (length == 0) {
      return startTick + 1;
    }
    double ticks = Math.ceil(length / metresPerTick);
    if (!(ticks < NEVER_TICKS)) {
      // So slow (a speed of 1e-300 m/s, or one that underflows to 0 m per tick) that no tick the
      // clock reaches would see it arrive: it never does. Counting up to such a tick would never
      // end, in the region and in every replay of its journal.
      return Long.MAX_VALUE;
    }
    long k = Math.max(1, (long) ticks);
    // The division may round either way; settle on the first tick the shared expression agrees on.
    while (k > 1 && travelledAt(startTick + k - 1) >= length) {
      k--;
    }
    while (travelledAt(startTick + k) < length) {
      k++;
    }
    return startTick + k;
  }

  private long exitTick(double length) {
    long lo = startTick + 1;
    long hi = arrivalTick(length);
    // Along a straight line out of a convex region, being outside is monotonic in the tick.
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (RegionBounds.contains(positionAt(mid))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
