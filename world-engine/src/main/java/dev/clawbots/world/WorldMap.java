package dev.clawbots.world;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The regions of a world and where they sit on the grid. Two regions are neighbours when their
 * cells share an edge, so a walk past an edge leads into the region across it.
 */
public final class WorldMap {

  /** A region as configured: its id, display name and grid cell. */
  public record Placement(String id, String name, GridCoord grid) {}

  private final Map<String, RegionSpec> specs = new LinkedHashMap<>();
  private final Map<GridCoord, String> byCell = new HashMap<>();

  /**
   * @throws IllegalArgumentException when ids repeat, two regions share a cell, or an id is not of
   *     the form {@code [a-z0-9-]{1,64}}: configuration errors to report at startup
   */
  public WorldMap(List<Placement> placements) {
    for (Placement p : placements) {
      if (!RegionSpec.isValidId(p.id())) {
        throw new IllegalArgumentException("region id must match [a-z0-9-]{1,64}: " + p.id());
      }
      if (byCell.containsKey(p.grid())) {
        throw new IllegalArgumentException(
            "regions " + byCell.get(p.grid()) + " and " + p.id() + " share grid cell " + p.grid());
      }
      if (byCell.containsValue(p.id())) {
        throw new IllegalArgumentException("region " + p.id() + " is configured twice");
      }
      byCell.put(p.grid(), p.id());
    }
    for (Placement p : placements) {
      Set<Edge> edges = EnumSet.noneOf(Edge.class);
      for (Edge e : Edge.values()) {
        if (byCell.containsKey(p.grid().neighbour(e))) {
          edges.add(e);
        }
      }
      specs.put(
          p.id(), new RegionSpec(p.id(), p.name(), p.grid(), edges, RegionSpec.DEFAULT_SPAWN));
    }
  }

  public Optional<RegionSpec> spec(String regionId) {
    return Optional.ofNullable(specs.get(regionId));
  }

  /** The region across {@code edge} from {@code regionId}, if there is one. */
  public Optional<String> neighbour(String regionId, Edge edge) {
    RegionSpec spec = specs.get(regionId);
    return spec == null
        ? Optional.empty()
        : Optional.ofNullable(byCell.get(spec.grid().neighbour(edge)));
  }

  /** Every region, in the order configured. */
  public List<RegionSpec> regions() {
    return new ArrayList<>(specs.values());
  }
}
