package dev.clawbots.opensim;

import dev.clawbots.region.RegionEvent;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One world region and the OpenSim region it is mirrored into. Its region's thread records what
 * happened ({@link #observe}, {@link #moved}) in concurrent structures that keep only the latest
 * state per agent and a bounded queue of chat, and returns at once; the bridge's worker reads them
 * and keeps the rest of the fields, which only it touches.
 */
final class MirroredRegion {

  /**
   * The latest we know of an agent: where it stands, where it walks to (or null), if it is here.
   */
  record Mirrored(String name, Vec3 position, Vec3 target, double speed, boolean present) {}

  final String regionId;
  final String gridName;

  // Written by the region's thread, read by the worker.
  final Map<String, Mirrored> agents = new ConcurrentHashMap<>();
  final Set<String> dirty = ConcurrentHashMap.newKeySet();
  final Utterances utterances;

  // The worker's own, under the bridge's lock.
  URI relay;
  int generation;
  boolean inFlight;
  boolean needsResync = true;
  long resyncNotBefore;
  String problem = "waiting for the relay script to register";
  final Map<String, String> npcs = new HashMap<>();
  final Set<String> creating = new HashSet<>();
  final Set<String> unmirrored = new HashSet<>();
  final List<RelayCommand> orphans = new ArrayList<>();
  final ChatPacer pacer;

  MirroredRegion(String regionId, String gridName, int chatBound, ChatPacer pacer) {
    this.regionId = regionId;
    this.gridName = gridName;
    this.utterances = new Utterances(chatBound);
    this.pacer = pacer;
  }

  /** Called on the region's thread: only map and queue updates, never I/O, never a lock. */
  void observe(RegionEvent event) {
    String id = event.agentId();
    if (event instanceof RegionEvent.AgentJoined e) {
      agents.put(id, new Mirrored(e.name(), e.position(), null, 0, true));
      dirty.add(id);
    } else if (event instanceof RegionEvent.CrossedIn e) {
      agents.put(
          id,
          new Mirrored(
              e.crossing().name(),
              e.crossing().entry(),
              e.crossing().target(),
              e.crossing().speed(),
              true));
      dirty.add(id);
    } else if (event instanceof RegionEvent.AgentLeft || event instanceof RegionEvent.CrossedOut) {
      agents.computeIfPresent(id, (k, a) -> new Mirrored(a.name(), a.position(), null, 0, false));
      dirty.add(id);
    } else if (event instanceof RegionEvent.MoveStarted e) {
      agents.computeIfPresent(
          id, (k, a) -> new Mirrored(a.name(), a.position(), e.to(), e.speed(), a.present()));
      dirty.add(id);
    } else if (event instanceof RegionEvent.Arrived e) {
      agents.computeIfPresent(
          id, (k, a) -> new Mirrored(a.name(), e.position(), null, 0, a.present()));
      dirty.add(id);
    } else if (event instanceof RegionEvent.Spoke e) {
      // A private message stays private: saying it aloud in the grid would broadcast it.
      if (e.to() == null) {
        utterances.offer(new Utterances.Line(id, Utterances.cut(e.text()), e.volume()));
      }
    } else if (event instanceof RegionEvent.Emoted e) {
      utterances.offer(Utterances.emote(id, e.emote()));
    }
    // AvatarSpoke came from the grid (it is not echoed back); prompts are private to an agent.
  }

  /**
   * Called on the region's thread each tick: positions only, which need no command of their own.
   */
  void moved(List<TickReport.AgentPosition> moved) {
    for (TickReport.AgentPosition p : moved) {
      agents.computeIfPresent(
          p.agentId(),
          (k, a) -> new Mirrored(a.name(), p.position(), a.target(), a.speed(), a.present()));
    }
  }

  /** Forgets what the grid had: the next resynchronisation finds out again. */
  void forgetGrid() {
    npcs.clear();
    creating.clear();
    unmirrored.clear();
    orphans.clear();
  }
}
