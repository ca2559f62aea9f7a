package dev.clawbots.persistence;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A feed that keeps Redis' presence keys ({@link Presence}) as the hosting node's regions journal
 * agents entering, acting, moving and leaving, then passes every message on. Writes are pipelined
 * and never waited for; while Redis is away they fail at once and are counted, and the keys come
 * back with the next moves (positions) or the next entry (sessions).
 *
 * <p>Positions change on every tick of a walking agent, ten times a second; writing each would be
 * two Redis commands per walker per tick, the largest share of the node's Redis traffic. So a
 * tick's positions only replace the ones waiting for their region, and {@link #flushPositions()},
 * called every {@link #POSITIONS_EVERY} by the server, writes each region's latest in one pipeline.
 * A position in Redis is then at most that much older than the region's.
 */
public final class PresenceFeed implements RegionFeed {

  /** How often the server writes the positions waiting. */
  public static final Duration POSITIONS_EVERY = Duration.ofSeconds(1);

  private final RegionFeed next;
  private final Presence presence;
  // Per region, the latest position of each agent that moved since the last flush.
  private final ConcurrentHashMap<String, Map<String, Vec3>> waiting = new ConcurrentHashMap<>();

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
      forget(left.regionId(), left.agentId());
      presence.left(left.agentId(), left.regionId());
    } else if (event instanceof RegionEvent.CrossedOut out) {
      forget(out.regionId(), out.agentId());
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
    if (!moved.isEmpty()) {
      waiting.compute(
          regionId,
          (r, positions) -> {
            Map<String, Vec3> latest = positions == null ? new HashMap<>() : positions;
            moved.forEach(p -> latest.put(p.agentId(), p.position()));
            return latest;
          });
    }
    next.agentsMoved(regionId, tick, moved);
  }

  /** An agent that left has no position to write, lest it outlive the agent's stay. */
  private void forget(String regionId, String agentId) {
    waiting.computeIfPresent(
        regionId,
        (r, positions) -> {
          positions.remove(agentId);
          return positions.isEmpty() ? null : positions;
        });
  }

  /** Writes every region's waiting positions, one pipeline a region; done when all are. */
  public CompletionStage<Void> flushPositions() {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (String regionId : waiting.keySet()) {
      Map<String, Vec3> positions = waiting.remove(regionId);
      if (positions == null || positions.isEmpty()) {
        continue;
      }
      List<TickReport.AgentPosition> latest = new ArrayList<>(positions.size());
      positions.forEach((agent, at) -> latest.add(new TickReport.AgentPosition(agent, at)));
      writes.add(presence.moved(regionId, latest).toCompletableFuture());
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }
}
