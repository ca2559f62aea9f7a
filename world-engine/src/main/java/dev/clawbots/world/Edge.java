package dev.clawbots.world;

/**
 * A side of a region, and the direction to the neighbour across it. North is +y, east is +x, as on
 * an OpenSimulator grid.
 */
public enum Edge {
  NORTH(0, 1),
  EAST(1, 0),
  SOUTH(0, -1),
  WEST(-1, 0);

  private final int dx;
  private final int dy;

  Edge(int dx, int dy) {
    this.dx = dx;
    this.dy = dy;
  }

  public int dx() {
    return dx;
  }

  public int dy() {
    return dy;
  }

  public Edge opposite() {
    return switch (this) {
      case NORTH -> SOUTH;
      case SOUTH -> NORTH;
      case EAST -> WEST;
      case WEST -> EAST;
    };
  }
}
