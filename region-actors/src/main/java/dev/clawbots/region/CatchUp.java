package dev.clawbots.region;

import dev.clawbots.world.Happening;
import dev.clawbots.world.TickReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Stepping a region to the current world tick: moved agents go to the ports at once, and the
 * arrivals and crossings it produced become events to journal, numbered after the last seq.
 */
final class CatchUp {

  private CatchUp() {}

  static List<RegionEvent> step(String regionId, RegionState s, RegionEnvironment env) {
    TickReport report = s.sim.advanceTo(env.clock().currentTick());
    if (!report.moved().isEmpty()) {
      Ports.tell(env.feed(), o -> o.agentsMoved(regionId, report.tick(), report.moved()));
      Ports.tell(env.mirror(), o -> o.agentsMoved(regionId, report.tick(), report.moved()));
    }
    List<RegionEvent> events = new ArrayList<>();
    long seq = s.seq;
    for (Happening h : report.happenings()) {
      if (h instanceof Happening.Arrived a) {
        events.add(
            new RegionEvent.Arrived(
                regionId,
                ++seq,
                a.tick(),
                env.clock().instantOf(a.tick()),
                a.agentId(),
                a.position()));
      } else if (h instanceof Happening.CrossedOut c) {
        ++seq;
        String destination = env.map().neighbour(regionId, c.crossing().edge()).orElseThrow();
        events.add(
            new RegionEvent.CrossedOut(
                regionId,
                seq,
                c.tick(),
                env.clock().instantOf(c.tick()),
                c.agentId(),
                destination,
                regionId + "#" + seq,
                c.crossing()));
      }
    }
    return events;
  }
}
