package dev.clawbots.opensim;

import dev.clawbots.opensim.MirroredRegion.Mirrored;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GridMirror} that makes every agent an NPC in the matching OpenSim region: it walks
 * where the agent walks, says what the agent says and plays its emotes.
 *
 * <p>Regions only record what happened ({@link MirroredRegion}) and return at once. A worker
 * ({@link #step()}, every {@code step-interval}) sends what is queued: each region's NPC commands
 * in batches to its relay script, one batch in flight per region, chat paced under OpenSim's
 * throttle. Every call to the grid is asynchronous and its answer is applied under this object's
 * lock, which a region's thread never takes.
 *
 * <p>While the grid is down ({@link Breaker}) nothing is sent but probes that back off; the regions
 * keep only each agent's latest state and the most recent chat. When the grid answers again, or a
 * relay registers (a restarted region has lost its NPCs), the region is resynchronised from {@code
 * admin_get_agents}: NPCs of present agents are adopted, the others removed, the missing created,
 * and every NPC sent to where its agent is.
 */
public final class OpenSimBridge implements GridMirror, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpenSimBridge.class);
  private static final String NULL_KEY = "00000000-0000-0000-0000-000000000000";

  private final BridgeSettings settings;
  private final Map<String, MirroredRegion> byWorld = new LinkedHashMap<>();
  private final Map<String, MirroredRegion> byGrid = new HashMap<>();
  private final RemoteAdmin admin;
  private final RelayLink relay;
  private final Breaker breaker;
  private final LongSupplier nanos;
  private final BridgeMetrics metrics;
  private final ScheduledExecutorService worker;
  private boolean probing;
  private long nextDrift;
  private long nextPing;
  private int batches;
  private int resyncs;
  private int outstanding;
  private int probesSent;
  private String reported;

  OpenSimBridge(
      BridgeSettings settings,
      GridTransport transport,
      LongSupplier nanos,
      BridgeMetrics metrics,
      ScheduledExecutorService worker) {
    this.settings = settings;
    URI url =
        settings
            .url()
            .orElseThrow(() -> new IllegalArgumentException("the bridge needs OPENSIM_URL"));
    this.admin = new RemoteAdmin(transport, url, settings.password(), settings.requestTimeout());
    this.relay = new RelayLink(transport, settings.relayTimeout(), settings.relaySecret());
    this.nanos = nanos;
    this.metrics = metrics;
    this.breaker =
        new Breaker(
            nanos,
            settings.backoffFloor(),
            settings.backoffCeiling(),
            settings.misconfiguredRecheck());
    settings
        .regions()
        .forEach(
            (world, grid) -> {
              MirroredRegion r =
                  new MirroredRegion(
                      world,
                      grid,
                      settings.chatQueue(),
                      new ChatPacer(nanos, settings.chatPerSecond()));
              byWorld.put(world, r);
              byGrid.put(grid, r);
            });
    this.nextDrift = nanos.getAsLong() + settings.driftInterval().toNanos();
    this.nextPing = nanos.getAsLong() + settings.pingInterval().toNanos();
    this.worker = worker;
  }

  /** A bridge on the real network and clock, whose worker steps it every {@code step-interval}. */
  public static OpenSimBridge start(BridgeSettings settings, BridgeMetrics metrics) {
    ScheduledExecutorService worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opensim-bridge");
              t.setDaemon(true);
              return t;
            });
    OpenSimBridge bridge =
        new OpenSimBridge(
            settings,
            new HttpGridTransport(settings.requestTimeout()),
            System::nanoTime,
            metrics,
            worker);
    long every = settings.stepInterval().toNanos();
    worker.scheduleWithFixedDelay(bridge::safeStep, every, every, TimeUnit.NANOSECONDS);
    log.info("{}", settings.describe());
    return bridge;
  }

  // ---- The regions' side: called on their threads, so nothing here waits or talks to the grid.

  @Override
  public void eventJournaled(RegionEvent event) {
    MirroredRegion r = byWorld.get(event.regionId());
    if (r != null) {
      r.observe(event);
    }
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    MirroredRegion r = byWorld.get(regionId);
    if (r != null) {
      r.moved(moved);
    }
  }

  // ---- The relay script's requests, through the server's routes.

  /**
   * Checks a request of the relay script: its secret, then its region. Admitted with the world
   * region the OpenSim region mirrors.
   */
  public RelayVerdict admit(String gridRegion, String secret) {
    if (settings.relaySecret().isEmpty()) {
      return new RelayVerdict.Refused(
          "unavailable",
          "the server has no relay secret: set OPENSIM_RELAY_SECRET, and the same in the script");
    }
    byte[] given = (secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, settings.relaySecret().getBytes(StandardCharsets.UTF_8))) {
      return new RelayVerdict.Refused(
          "forbidden", "the secret does not match the server's OPENSIM_RELAY_SECRET");
    }
    MirroredRegion r = byGrid.get(gridRegion);
    if (r == null) {
      return new RelayVerdict.Refused(
          "not_found",
          "no world region is mirrored into the OpenSim region \""
              + gridRegion
              + "\"; mirrored: "
              + byGrid.keySet());
    }
    return new RelayVerdict.Admitted(r.regionId);
  }

  /**
   * The relay script of {@code gridRegion} listens at {@code url} now. A new registration means a
   * new script or a restarted region, whose NPCs are gone: the region is resynchronised.
   */
  public synchronized RelayVerdict register(String gridRegion, String url, String secret) {
    RelayVerdict verdict = admit(gridRegion, secret);
    if (!(verdict instanceof RelayVerdict.Admitted)) {
      return verdict;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return new RelayVerdict.Refused("bad_request", "url is not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      return new RelayVerdict.Refused("bad_request", "url must be an absolute http(s) URL");
    }
    MirroredRegion r = byGrid.get(gridRegion);
    r.relay = uri;
    // Answers still on their way from the old URL must not be applied to the new script's NPCs.
    r.generation++;
    r.inFlight = false;
    r.needsResync = true;
    r.resyncNotBefore = nanos.getAsLong();
    r.problem = null;
    log.info("OpenSim region {} ({}): relay registered at {}", r.gridName, r.regionId, uri);
    return verdict;
  }

  // ---- The worker.

  private void safeStep() {
    try {
      step();
    } catch (RuntimeException e) {
      log.error("the OpenSim bridge's step failed; it goes on with the next", e);
    }
  }

  /** Sends what is due: a probe while the grid is away, else each region's next batch. */
  public synchronized void step() {
    for (MirroredRegion r : byWorld.values()) {
      int overflowed = r.utterances.takeOverflowed();
      if (overflowed > 0) {
        metrics.dropped(r.regionId, "overflow", overflowed);
      }
      metrics.queued(r.regionId, r.utterances.size() + r.dirty.size());
    }
    metrics.breaker(breaker.state().name().toLowerCase(Locale.ROOT));
    if (breaker.state() != Breaker.State.CLOSED) {
      if (breaker.probeDue() && !probing) {
        probe();
      }
      return;
    }
    for (MirroredRegion r : byWorld.values()) {
      pump(r);
    }
    if (nanos.getAsLong() - nextPing >= 0 && !probing) {
      nextPing = nanos.getAsLong() + settings.pingInterval().toNanos();
      probe();
    }
    if (nanos.getAsLong() - nextDrift >= 0) {
      nextDrift = nanos.getAsLong() + settings.driftInterval().toNanos();
      for (MirroredRegion r : byWorld.values()) {
        if (r.relay != null && !r.needsResync) {
          checkDrift(r);
        }
      }
    }
  }

  private void probe() {
    probing = true;
    probesSent++;
    outstanding++;
    admin.version().whenComplete((reply, error) -> probed(reply));
  }

  private synchronized void probed(GridReply<String> reply) {
    probing = false;
    outstanding--;
    if (reply instanceof GridReply.Ok<String> ok) {
      boolean was = breaker.state() != Breaker.State.CLOSED;
      breaker.succeeded();
      byWorld.values().forEach(this::checkRegion);
      if (was) {
        log.info("OpenSim grid answers ({}): resynchronising its regions", ok.value());
        reported = null;
        for (MirroredRegion r : byWorld.values()) {
          r.needsResync = true;
          r.resyncNotBefore = nanos.getAsLong();
        }
      }
    } else {
      gridFailed(((GridReply.Failed<String>) reply).failure(), true);
    }
  }

  /** Asks the grid whether it has the region at all: a misspelt mapping is said plainly. */
  private void checkRegion(MirroredRegion r) {
    outstanding++;
    admin.regionHealth(r.gridName).whenComplete((reply, error) -> regionChecked(r, reply));
  }

  private synchronized void regionChecked(MirroredRegion r, GridReply<Integer> reply) {
    outstanding--;
    if (reply instanceof GridReply.Ok<Integer> ok && ok.value() == 0) {
      String problem =
          "the grid has no region named \""
              + r.gridName
              + "\" (admin_region_query health 0): check clawbots.opensim.regions";
      if (!problem.equals(r.problem)) {
        log.warn("OpenSim region {} ({}): {}", r.gridName, r.regionId, problem);
      }
      r.problem = problem;
    } else if (reply instanceof GridReply.Ok<Integer>
        && r.problem != null
        && r.problem.startsWith("the grid has no region")) {
      r.problem = r.relay == null ? "waiting for the relay script to register" : null;
    } else if (reply instanceof GridReply.Failed<Integer> f) {
      if (f.failure() instanceof GridFailure.Down) {
        gridFailed(f.failure(), false);
      } else {
        // Only this health check is refused (say, admin_region_query not enabled): the NPCs do
        // not need it, so it is the region's problem to report, not the grid's.
        r.problem = f.failure().message();
      }
    }
  }

  /** Whether {@code failure} is the whole grid's (down, or refusing us); if so, acted on. */
  private boolean gridWide(GridFailure failure) {
    if (failure instanceof GridFailure.Down || failure instanceof GridFailure.Misconfigured) {
      gridFailed(failure, false);
      return true;
    }
    return false;
  }

  /**
   * The grid as a whole failed: down, or refusing our configuration. Only a probe's failure, or the
   * first failure of a closed breaker, counts towards the backoff: the other calls that were on
   * their way when the grid went fail too, and must not lengthen it.
   */
  private void gridFailed(GridFailure failure, boolean probe) {
    if (failure instanceof GridFailure.Misconfigured) {
      breaker.misconfigured(failure.message());
      if (!failure.message().equals(reported)) {
        log.error(
            "OpenSim bridge configuration error, not retried as an outage: {}", failure.message());
        reported = failure.message();
      }
    } else if (breaker.state() == Breaker.State.CLOSED) {
      log.warn("OpenSim grid is down ({}); the world goes on without it", failure.message());
      breaker.failed(failure.message());
    } else if (probe) {
      breaker.failed(failure.message());
    }
    for (MirroredRegion r : byWorld.values()) {
      r.needsResync = true;
    }
  }

  /** Sends the region's next batch, if it has a relay, no batch in flight, and something to say. */
  private void pump(MirroredRegion r) {
    if (r.relay == null || r.inFlight) {
      return;
    }
    if (r.needsResync) {
      if (nanos.getAsLong() - r.resyncNotBefore >= 0) {
        resync(r);
      }
      return;
    }
    List<RelayCommand> batch = new ArrayList<>();
    List<Utterances.Utterance> said = new ArrayList<>();
    int room = settings.batchBytes() - RelayLink.emptyBatchBytes();
    while (!r.orphans.isEmpty() && RelayLink.bytesOf(r.orphans.get(0)) <= room) {
      RelayCommand c = r.orphans.remove(0);
      room -= RelayLink.bytesOf(c);
      batch.add(c);
    }
    for (String id : List.copyOf(r.dirty)) {
      // Taken off before reading, so that a change made meanwhile marks it again.
      r.dirty.remove(id);
      RelayCommand c = commandFor(r, id, r.agents.get(id));
      if (c == null) {
        continue;
      }
      int bytes = RelayLink.bytesOf(c);
      if (bytes > room) {
        r.dirty.add(id);
        break;
      }
      room -= bytes;
      batch.add(c);
      if (c instanceof RelayCommand.Create) {
        r.creating.add(id);
      }
    }
    int lines = r.pacer.available();
    // Taken off the queue before it is looked at: the region's thread may drop the oldest entry
    // at any moment, so a peek and a later poll could be two different entries.
    for (Utterances.Utterance u = r.utterances.poll(); u != null; u = r.utterances.poll()) {
      String npc = r.npcs.get(u.agentId());
      if (npc == null) {
        Mirrored a = r.agents.get(u.agentId());
        boolean coming =
            r.creating.contains(u.agentId())
                || (a != null && a.present() && !r.unmirrored.contains(u.agentId()));
        if (coming) {
          r.utterances.requeue(List.of(u)); // its NPC is being made: keep the order, wait
          break;
        }
        metrics.dropped(r.regionId, "unmirrored", 1);
        continue;
      }
      RelayCommand c =
          u instanceof Utterances.Line l
              ? fitted(new RelayCommand.Say(l.agentId(), npc, l.text(), l.volume()))
              : new RelayCommand.Animate(u.agentId(), npc, ((Utterances.Gesture) u).animation());
      int bytes = RelayLink.bytesOf(c);
      if ((u instanceof Utterances.Line && lines <= 0) || bytes > room) {
        r.utterances.requeue(List.of(u));
        break;
      }
      room -= bytes;
      batch.add(c);
      said.add(u);
      if (u instanceof Utterances.Line) {
        r.pacer.take();
        lines--;
      }
    }
    if (!batch.isEmpty()) {
      send(r, batch, said);
    }
  }

  /**
   * A line short enough to go in a batch of its own: text that JSON escapes heavily (quotes,
   * control characters) can take twice its bytes or more, and a line that never fits would hold up
   * the region's queue for good.
   */
  private RelayCommand.Say fitted(RelayCommand.Say say) {
    int most = settings.batchBytes() - RelayLink.emptyBatchBytes();
    RelayCommand.Say s = say;
    while (RelayLink.bytesOf(s) > most && !s.text().isEmpty()) {
      String shorter = s.text().substring(0, s.text().length() * 3 / 4);
      if (Character.isHighSurrogate(
          shorter.isEmpty() ? 'x' : shorter.charAt(shorter.length() - 1))) {
        shorter = shorter.substring(0, shorter.length() - 1);
      }
      s = new RelayCommand.Say(s.agentId(), s.npc(), shorter, s.volume());
    }
    return s;
  }

  private RelayCommand commandFor(MirroredRegion r, String id, Mirrored a) {
    String npc = r.npcs.get(id);
    if (a == null || !a.present()) {
      if (npc != null) {
        return new RelayCommand.Remove(id, npc);
      }
      if (a != null && !r.creating.contains(id)) {
        // Gone, and never mirrored or already removed: forget it (unless it came back meanwhile).
        r.agents.remove(id, a);
        if (r.unmirrored.remove(id)) {
          metrics.unmirrored(r.regionId, r.unmirrored.size());
        }
      }
      return null;
    }
    if (npc == null) {
      if (r.creating.contains(id) || r.unmirrored.contains(id)) {
        return null; // its create's answer marks it again
      }
      if (settings.npcCap() > 0 && r.npcs.size() + r.creating.size() >= settings.npcCap()) {
        unmirror(r, id, "the NPC cap of " + settings.npcCap() + " is reached");
        return null;
      }
      return new RelayCommand.Create(id, NpcName.of(id, a.name()), inside(a.position()));
    }
    Vec3 to = a.target() != null ? a.target() : a.position();
    return new RelayCommand.Move(id, npc, inside(to), a.speed() >= 5.0);
  }

  private void unmirror(MirroredRegion r, String id, String why) {
    if (r.unmirrored.add(id)) {
      log.warn(
          "OpenSim region {}: agent {} is not mirrored: {}; {} agents are not",
          r.gridName,
          id,
          why,
          r.unmirrored.size());
      metrics.unmirrored(r.regionId, r.unmirrored.size());
    }
  }

  private void send(MirroredRegion r, List<RelayCommand> batch, List<Utterances.Utterance> said) {
    r.inFlight = true;
    int generation = r.generation;
    outstanding++;
    relay
        .send(r.relay, ++batches, batch)
        .whenComplete((reply, error) -> answered(r, generation, batch, said, reply));
  }

  private synchronized void answered(
      MirroredRegion r,
      int generation,
      List<RelayCommand> batch,
      List<Utterances.Utterance> said,
      GridReply<List<String>> reply) {
    outstanding--;
    if (generation != r.generation) {
      return; // for a script that has been replaced; the resync starts afresh
    }
    r.inFlight = false;
    if (reply instanceof GridReply.Ok<List<String>> ok) {
      breaker.succeeded();
      apply(r, batch, ok.value());
      metrics.sent(r.regionId, batch.size());
      return;
    }
    GridFailure failure = ((GridReply.Failed<List<String>>) reply).failure();
    for (RelayCommand c : batch) {
      r.creating.remove(c.agentId());
      if (c.agentId() != null && !(c instanceof RelayCommand.Say)) {
        r.dirty.add(c.agentId());
      }
    }
    if (failure instanceof GridFailure.Down) {
      r.utterances.requeue(said);
      gridFailed(failure, false);
    } else if (failure instanceof GridFailure.StaleRelay) {
      r.utterances.requeue(said);
      r.relay = null;
      r.needsResync = true;
      r.problem = "the relay URL is stale (404): waiting for the script to register again";
      log.info("OpenSim region {}: {}", r.gridName, r.problem);
    } else {
      // The script may have run some of the batch: say nothing twice, and find out from the grid.
      metrics.dropped(r.regionId, "uncertain", said.size());
      r.needsResync = true;
      r.resyncNotBefore = nanos.getAsLong() + settings.backoffFloor().toNanos();
      log.warn("OpenSim region {}: {}; resynchronising", r.gridName, failure.message());
    }
  }

  private void apply(MirroredRegion r, List<RelayCommand> batch, List<String> results) {
    for (int i = 0; i < batch.size(); i++) {
      RelayCommand c = batch.get(i);
      String result = results.get(i);
      String id = c.agentId();
      if (c instanceof RelayCommand.Create created) {
        r.creating.remove(id);
        if (result == null
            || result.isBlank()
            || result.equals(NULL_KEY)
            || result.equals("gone")) {
          // osNpcCreate answers NULL_KEY past MaxNumberNPCsPerScene (or with NPCs off).
          unmirror(r, id, "the grid refused to create its NPC (NULL_KEY: its NPC cap?)");
          continue;
        }
        r.npcs.put(id, result);
        Mirrored a = r.agents.get(id);
        if (a == null
            || !a.present()
            || a.target() != null
            || a.position().distanceTo(created.at()) > 0.5) {
          r.dirty.add(id);
        }
      } else if (c instanceof RelayCommand.Remove removed) {
        if (id != null) {
          r.npcs.remove(id, removed.npc());
          r.agents.computeIfPresent(id, (k, a) -> a.present() ? a : null);
          r.dirty.add(id);
        }
        // A place is free: the first agent left out for the cap may have it.
        if (!r.unmirrored.isEmpty()) {
          String next = r.unmirrored.iterator().next();
          r.unmirrored.remove(next);
          r.dirty.add(next);
          metrics.unmirrored(r.regionId, r.unmirrored.size());
        }
      } else if ("gone".equals(result)) {
        // The script does not know the NPC (removed in-world): make it again.
        r.npcs.remove(id);
        r.dirty.add(id);
      }
    }
  }

  private void resync(MirroredRegion r) {
    r.inFlight = true;
    int generation = r.generation;
    outstanding++;
    admin.agents(r.gridName).whenComplete((reply, error) -> listed(r, generation, reply));
  }

  private synchronized void listed(
      MirroredRegion r, int generation, GridReply<List<RemoteAdmin.Listed>> reply) {
    outstanding--;
    if (generation != r.generation) {
      return;
    }
    r.inFlight = false;
    if (reply instanceof GridReply.Failed<List<RemoteAdmin.Listed>> f) {
      if (!gridWide(f.failure())) {
        r.problem = f.failure().message();
        r.resyncNotBefore = nanos.getAsLong() + settings.driftInterval().toNanos();
        log.warn("OpenSim region {}: cannot resynchronise: {}", r.gridName, r.problem);
      }
      return;
    }
    breaker.succeeded();
    r.forgetGrid();
    r.needsResync = false;
    r.problem = null;
    Map<String, String> agentByLastName = new HashMap<>();
    for (Map.Entry<String, Mirrored> e : r.agents.entrySet()) {
      if (e.getValue().present()) {
        agentByLastName.put(NpcName.lastNameOf(e.getKey()), e.getKey());
      }
    }
    for (RemoteAdmin.Listed l : ((GridReply.Ok<List<RemoteAdmin.Listed>>) reply).value()) {
      String last = NpcName.lastNameIn(l.name());
      if (!l.npc() || !last.startsWith(NpcName.PREFIX)) {
        continue; // a person, or an NPC that is not ours
      }
      String id = agentByLastName.get(last);
      if (id != null && !r.npcs.containsKey(id)) {
        r.npcs.put(id, l.id());
      } else {
        r.orphans.add(new RelayCommand.Remove(id, l.id()));
      }
    }
    // Every agent gets its command: a create, a move to where it is, or a removal.
    r.dirty.addAll(r.agents.keySet());
    resyncs++;
    metrics.resynced(r.regionId);
    metrics.unmirrored(r.regionId, 0);
    log.info(
        "OpenSim region {}: resynchronised, {} NPCs adopted, {} to remove",
        r.gridName,
        r.npcs.size(),
        r.orphans.size());
  }

  private void checkDrift(MirroredRegion r) {
    int generation = r.generation;
    outstanding++;
    admin.agents(r.gridName).whenComplete((reply, error) -> drifted(r, generation, reply));
  }

  private synchronized void drifted(
      MirroredRegion r, int generation, GridReply<List<RemoteAdmin.Listed>> reply) {
    outstanding--;
    if (generation != r.generation || r.needsResync) {
      return;
    }
    if (reply instanceof GridReply.Failed<List<RemoteAdmin.Listed>> f) {
      gridWide(f.failure());
      return;
    }
    Map<String, RemoteAdmin.Listed> byKey = new HashMap<>();
    for (RemoteAdmin.Listed l : ((GridReply.Ok<List<RemoteAdmin.Listed>>) reply).value()) {
      byKey.put(l.id(), l);
    }
    double worst = 0;
    for (Map.Entry<String, String> e : List.copyOf(r.npcs.entrySet())) {
      RemoteAdmin.Listed l = byKey.get(e.getValue());
      Mirrored a = r.agents.get(e.getKey());
      if (l == null) {
        // The NPC is gone from the region (removed in-world, or the region restarted).
        r.npcs.remove(e.getKey());
        r.dirty.add(e.getKey());
        continue;
      }
      if (a == null || !a.present() || a.target() != null) {
        continue; // a walker's NPC is on its way; only standing agents are compared
      }
      // Across the ground only: an NPC stands on the grid's terrain, whatever the agent's z.
      double d = Math.hypot(l.x() - a.position().x(), l.y() - a.position().y());
      worst = Math.max(worst, d);
      if (d > settings.driftTolerance()) {
        r.dirty.add(e.getKey());
      }
    }
    metrics.drift(r.regionId, worst);
  }

  /** Keeps a target inside the region: OpenSim NPCs cannot be sent across a region's edge. */
  private static Vec3 inside(Vec3 p) {
    return new Vec3(clamp(p.x(), 0, 255.9), clamp(p.y(), 0, 255.9), clamp(p.z(), 0, 4096));
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  // ---- For health and tests.

  public synchronized BridgeHealth health() {
    List<BridgeHealth.RegionStatus> regions = new ArrayList<>();
    for (MirroredRegion r : byWorld.values()) {
      regions.add(
          new BridgeHealth.RegionStatus(
              r.regionId,
              r.gridName,
              r.relay != null,
              r.npcs.size(),
              r.unmirrored.size(),
              r.utterances.size() + r.dirty.size(),
              r.problem));
    }
    String state = breaker.state().name().toLowerCase(Locale.ROOT);
    String problem =
        breaker.state() == Breaker.State.MISCONFIGURED
            ? "configuration error: " + breaker.problem()
            : breaker.problem();
    return new BridgeHealth(
        breaker.state() == Breaker.State.CLOSED ? "ok" : "down", state, problem, regions);
  }

  /** Whether no call to the grid is on its way: for tests that step the bridge by hand. */
  synchronized boolean idle() {
    return outstanding == 0;
  }

  /** How many probes have gone to the grid while it was away or misconfigured. */
  synchronized int probesSent() {
    return probesSent;
  }

  /** How many resynchronisations have completed, over all regions. */
  synchronized int resyncs() {
    return resyncs;
  }

  /** The agent-to-NPC keys of a world region, as the bridge knows them. */
  synchronized Map<String, String> npcs(String regionId) {
    return Map.copyOf(byWorld.get(regionId).npcs);
  }

  /** Whether anything is queued or on its way for the region. */
  synchronized boolean settled(String regionId) {
    MirroredRegion r = byWorld.get(regionId);
    return !r.inFlight
        && !r.needsResync
        && r.dirty.isEmpty()
        && r.utterances.size() == 0
        && r.orphans.isEmpty()
        && r.creating.isEmpty();
  }

  /** The current wait between probes of a grid that is down. */
  synchronized java.time.Duration backoff() {
    return breaker.backoff();
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.shutdownNow();
    }
  }
}
