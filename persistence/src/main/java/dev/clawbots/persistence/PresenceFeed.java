package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.world.TickReport;
import java.util.List;

/**
 * A feed that keeps Redis' presence keys ({@link Presence}) as the hosting node's regions journal
 * agents entering, acting, moving and leaving, then passes every message on. Writes are pipelined
 * and never waited for; while Redis is away they fail at once and are counted, and the keys come
 * back with the next moves (positions) or the next entry (sessions).
 */
public final class PresenceFeed implements RegionFeed {

  private final RegionFeed next;
  private final Presence presence;

  public PresenceFeed(RegionFeed next, Presence presence) {
    this.next = next;
    this.presence = presence;
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    if (event instanceof RegionEvent.AgentJoined j) {
      presence.entered(j.agentId(), j.regionId(), j.position());
    } else if (event instanceof RegionEvent.CrossedIn in) {
      presence.entered(in.agentId(), in.regionId(), in.crossing().entry());
    } else if (event instanceof RegionEvent.AgentLeft left) {
      presence.left(left.agentId(), left.regionId());
    } else if (event instanceof RegionEvent.CrossedOut out) {
      presence.left(out.agentId(), out.regionId());
    } else if (event.visible()
        && event.agentId() != null
        && !(event instanceof RegionEvent.Prompted)) {
      // A prompt is a spectator's doing, not the agent's activity; an OpenSim avatar's chat has
      // no agent at all.
      presence.acted(event.regionId(), event.agentId());
    }
    next.eventJournaled(event);
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    presence.moved(regionId, moved);
    next.agentsMoved(regionId, tick, moved);
  }
}
