package dev.clawbots.region;

import dev.clawbots.world.Decision;
import dev.clawbots.world.Outcome;
import dev.clawbots.world.RegionSimulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A region's state: its simulation, the last seq it handed out, the crossings it has yet to hand
 * over, and the recent crossings it took in. Mutable for speed; only its region touches it, and
 * snapshots copy it ({@link RegionStateSnapshot}).
 */
final class RegionState {

  /** How many accepted hand-over ids to remember for recognising a retried hand-over. */
  static final int REMEMBERED_HANDOVERS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(RegionState.class);

  final RegionSimulation sim;
  long seq;
  final Map<String, RegionEvent.CrossedOut> pendingHandovers = new LinkedHashMap<>();
  final Set<String> acceptedHandovers = new LinkedHashSet<>();

  private static final RegionState UNBORN = new RegionState(null);

  RegionState(RegionSimulation sim) {
    this.sim = sim;
  }

  /**
   * The state of a region before its first event. Pekko hands the same empty-state object to every
   * recovery of an entity, including the one after a journal failure, so it must never be mutated:
   * the region works on a fresh state instead ({@link #isUnborn()}).
   */
  static RegionState unborn() {
    return UNBORN;
  }

  boolean isUnborn() {
    return sim == null;
  }

  /**
   * Applies a journaled event, live or in recovery. The simulation first catches up to the event's
   * tick; arrivals and crossings are already there, since stepping produced them.
   */
  RegionState apply(RegionEvent event) {
    sim.advanceTo(event.tick());
    if (event.visible()) {
      seq = event.seq();
    }
    Outcome<?> outcome = null;
    if (event instanceof RegionEvent.AgentJoined e) {
      outcome = sim.apply(new Decision.Join(e.agentId(), e.name(), e.position(), e.permissions()));
    } else if (event instanceof RegionEvent.AgentLeft e) {
      outcome = sim.apply(new Decision.Leave(e.agentId()));
    } else if (event instanceof RegionEvent.MoveStarted e) {
      outcome = sim.apply(new Decision.Move(e.agentId(), e.to(), e.speed()));
    } else if (event instanceof RegionEvent.Spoke e) {
      outcome = sim.apply(new Decision.Speak(e.agentId(), e.text(), e.volume(), e.to()));
    } else if (event instanceof RegionEvent.Emoted e) {
      outcome = sim.apply(new Decision.Emote(e.agentId(), e.emote()));
    } else if (event instanceof RegionEvent.CrossedOut e) {
      pendingHandovers.put(e.handoverId(), e);
    } else if (event instanceof RegionEvent.CrossedIn e) {
      outcome = sim.apply(new Decision.CrossIn(e.crossing()));
      remember(e.handoverId());
    } else if (event instanceof RegionEvent.HandoverConfirmed e) {
      pendingHandovers.remove(e.handoverId());
    }
    if (outcome instanceof Outcome.Rejected<?> r) {
      // A journaled event was accepted once; refusing it now means the rules changed under it.
      log.error(
          "region {} could not apply journaled {}: {}", sim.spec().id(), event, r.rejection());
    }
    return this;
  }

  private void remember(String handoverId) {
    acceptedHandovers.add(handoverId);
    if (acceptedHandovers.size() > REMEMBERED_HANDOVERS) {
      var it = acceptedHandovers.iterator();
      it.next();
      it.remove();
    }
  }

  RegionStateSnapshot snapshot() {
    return new RegionStateSnapshot(
        sim.snapshot(),
        seq,
        new ArrayList<>(pendingHandovers.values()),
        new ArrayList<>(acceptedHandovers));
  }

  static RegionState restore(RegionSimulation sim, RegionStateSnapshot s) {
    RegionState state = new RegionState(sim);
    state.seq = s.seq();
    for (RegionEvent.CrossedOut c : s.pendingHandovers()) {
      state.pendingHandovers.put(c.handoverId(), c);
    }
    state.acceptedHandovers.addAll(s.acceptedHandovers());
    return state;
  }

  List<RegionEvent.CrossedOut> pending() {
    return new ArrayList<>(pendingHandovers.values());
  }
}
