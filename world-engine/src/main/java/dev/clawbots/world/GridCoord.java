package dev.clawbots.world;

/** Where a region sits on the world grid. Neighbours share an edge. */
public record GridCoord(int x, int y) {

  public GridCoord neighbour(Edge edge) {
    return new GridCoord(x + edge.dx(), y + edge.dy());
  }
}
