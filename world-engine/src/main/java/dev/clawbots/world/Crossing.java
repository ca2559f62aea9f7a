package dev.clawbots.world;

import java.util.Set;

/**
 * An agent walking out of one region into the neighbour across {@code edge}: everything the
 * neighbour needs to carry on the walk. Positions are in the neighbour's coordinates.
 */
public record Crossing(
    String agentId,
    String name,
    Set<Permission> permissions,
    Edge edge,
    Vec3 entry,
    Vec3 target,
    double speed) {}
