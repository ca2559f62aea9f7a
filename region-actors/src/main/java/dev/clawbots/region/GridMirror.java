package dev.clawbots.region;

import dev.clawbots.world.TickReport;
import java.util.List;

/**
 * The port through which a region mirrors itself into a 3D grid (the OpenSimulator bridge). The
 * default mirrors nothing.
 */
public interface GridMirror extends RegionObserver {

  GridMirror NONE =
      new GridMirror() {
        @Override
        public void eventJournaled(RegionEvent event) {}

        @Override
        public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {}
      };
}
