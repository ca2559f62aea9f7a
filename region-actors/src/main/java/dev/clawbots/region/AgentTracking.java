package dev.clawbots.region;

import dev.clawbots.world.TickReport;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * A feed that tells agents' entities ({@link Agent}) what regions decide about them on their own:
 * that an agent crossed into a region, that it left one idle, and that someone in another region
 * spoke privately to it. Everything else an agent's entity learns from the replies to what it
 * asked. Then it passes every message on.
 */
public final class AgentTracking implements RegionFeed {

  private final RegionFeed next;
  private final Function<String, RecipientRef<Agent.Command>> agents;

  public AgentTracking(RegionFeed next, Function<String, RecipientRef<Agent.Command>> agents) {
    this.next = next;
    this.agents = agents;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    if (event instanceof RegionEvent.CrossedIn in) {
      agents.apply(in.agentId()).tell(new Agent.CrossedInto(in.regionId(), in.seq()));
    } else if (event instanceof RegionEvent.AgentLeft left && "idle".equals(left.reason())) {
      agents.apply(left.agentId()).tell(new Agent.LeftRegion(left.regionId()));
    } else if (event instanceof RegionEvent.Spoke s
        && s.to() != null
        && !s.hearers().contains(s.to())) {
      // A private message to an agent elsewhere: its entity passes it to its connections.
      agents.apply(s.to()).tell(new Agent.Addressed(s));
    }
    next.eventJournaled(event);
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    next.agentsMoved(regionId, tick, moved);
  }
}
