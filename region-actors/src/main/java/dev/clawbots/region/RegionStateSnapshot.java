package dev.clawbots.region;

import dev.clawbots.world.RegionSnapshot;
import java.util.List;

/** A region's state as it is stored in a snapshot: an immutable copy. */
public record RegionStateSnapshot(
    RegionSnapshot world,
    long seq,
    List<RegionEvent.CrossedOut> pendingHandovers,
    List<String> acceptedHandovers)
    implements CborSerializable {

  public RegionStateSnapshot {
    pendingHandovers = List.copyOf(pendingHandovers);
    acceptedHandovers = List.copyOf(acceptedHandovers);
  }
}
