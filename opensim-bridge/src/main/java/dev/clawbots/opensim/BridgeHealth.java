package dev.clawbots.opensim;

import java.util.List;

/**
 * How the bridge stands, for {@code /health}: {@code status} is {@code ok} or {@code down} (a
 * configuration error is {@code down} too, with {@code problem} saying what to fix).
 *
 * @param breaker {@code closed}, {@code open} or {@code misconfigured}
 * @param problem why the grid is not usable, or null
 */
public record BridgeHealth(
    String status, String breaker, String problem, List<RegionStatus> regions) {

  /** One mirrored region. {@code problem} is null when nothing is wrong with it. */
  public record RegionStatus(
      String regionId,
      String gridRegion,
      boolean relayRegistered,
      int npcs,
      int unmirrored,
      int queued,
      String problem) {}
}
