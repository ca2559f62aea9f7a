package dev.clawbots.region;

import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.util.ArrayList;
import java.util.List;

/**
 * The agents that moved on one tick of a region, as the channel {@code positions:{region}} carries
 * them: {@code {"region_id", "world_tick", "agents": [{"agent_id", "position"}]}}.
 */
public record WirePositions(String regionId, long worldTick, List<Moved> agents) {

  public record Moved(String agentId, Vec3 position) {}

  public WirePositions {
    agents = List.copyOf(agents);
  }

  /** A tick's movers as a region reports them. */
  public static WirePositions of(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    List<Moved> agents = new ArrayList<>(moved.size());
    for (TickReport.AgentPosition p : moved) {
      agents.add(new Moved(p.agentId(), p.position()));
    }
    return new WirePositions(regionId, tick, agents);
  }
}
