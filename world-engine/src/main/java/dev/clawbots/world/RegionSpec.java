package dev.clawbots.world;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A region's identity and place on the grid.
 *
 * @param neighbours the edges that have a region across them
 * @param spawn where agents appear when they join without a position
 */
public record RegionSpec(String id, String name, GridCoord grid, Set<Edge> neighbours, Vec3 spawn) {

  private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");

  public static final Vec3 DEFAULT_SPAWN = new Vec3(128, 128, 21);

  public RegionSpec {
    if (id == null || !isValidId(id)) {
      throw new IllegalArgumentException("region id must match [a-z0-9-]{1,64}: " + id);
    }
    if (spawn == null || !spawn.isFinite() || !RegionBounds.contains(spawn)) {
      throw new IllegalArgumentException("spawn must lie inside the region: " + spawn);
    }
    neighbours = neighbours.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(neighbours));
  }

  /** A region with no neighbours, spawning at its centre. */
  public static RegionSpec standalone(String id, String name, GridCoord grid) {
    return new RegionSpec(id, name, grid, Set.of(), DEFAULT_SPAWN);
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public boolean hasNeighbour(Edge edge) {
    return neighbours.contains(edge);
  }
}
