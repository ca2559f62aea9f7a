package dev.clawbots.world;

/**
 * How a walk is laid out in a region: straight to its target, across an edge into the neighbour
 * there, or to a stop at an edge with no neighbour; and where a walker that crosses enters the
 * neighbour, in the neighbour's coordinates.
 */
final class Route {

  private Route() {}

  /**
   * A walk from {@code from} to {@code to}. A target past an edge with a neighbour across it makes
   * a walk that leaves the region there; past an edge without one, the walk stops at the edge.
   */
  static Walk plan(
      RegionSpec spec, Vec3 from, Vec3 to, double speed, double tickSeconds, long tick) {
    boolean inside = RegionBounds.groundContains(to.x()) && RegionBounds.groundContains(to.y());
    if (inside) {
      return Walk.plan(from, to, speed, tickSeconds, tick, null);
    }
    double tx = Double.POSITIVE_INFINITY;
    double ty = Double.POSITIVE_INFINITY;
    Edge edgeX = null;
    Edge edgeY = null;
    if (to.x() >= RegionBounds.SIZE) {
      tx = (RegionBounds.SIZE - from.x()) / (to.x() - from.x());
      edgeX = Edge.EAST;
    } else if (to.x() < 0) {
      tx = -from.x() / (to.x() - from.x());
      edgeX = Edge.WEST;
    }
    if (to.y() >= RegionBounds.SIZE) {
      ty = (RegionBounds.SIZE - from.y()) / (to.y() - from.y());
      edgeY = Edge.NORTH;
    } else if (to.y() < 0) {
      ty = -from.y() / (to.y() - from.y());
      edgeY = Edge.SOUTH;
    }
    Edge exit = tx <= ty ? edgeX : edgeY;
    if (spec.hasNeighbour(exit)) {
      return Walk.plan(from, to, speed, tickSeconds, tick, exit);
    }
    double t = Math.min(tx, ty);
    Vec3 stop =
        RegionBounds.clamp(
            new Vec3(
                from.x() + (to.x() - from.x()) * t,
                from.y() + (to.y() - from.y()) * t,
                from.z() + (to.z() - from.z()) * t));
    return Walk.plan(from, stop, speed, tickSeconds, tick, null);
  }

  /** The crossing a walker makes at the end of a walk that leaves the region. */
  static Crossing crossingOf(Occupant o, Walk w) {
    Edge e = w.exitEdge();
    double dx = -e.dx() * RegionBounds.SIZE;
    double dy = -e.dy() * RegionBounds.SIZE;
    Vec3 out = w.positionAt(w.endTick());
    Vec3 entry = RegionBounds.clamp(new Vec3(out.x() + dx, out.y() + dy, out.z()));
    Vec3 target = new Vec3(w.target().x() + dx, w.target().y() + dy, w.target().z());
    return new Crossing(o.agentId, o.name, o.permissions, e, entry, target, w.speed());
  }
}
