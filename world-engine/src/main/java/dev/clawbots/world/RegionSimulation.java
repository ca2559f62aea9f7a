package dev.clawbots.world;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One region's world: who is in it, where they are and where they are going, stepped one tick at a
 * time. Everything here is a deterministic function of the decisions applied and the ticks they
 * were applied at, so the same decisions at the same ticks give bitwise the same positions.
 *
 * <p>Not thread-safe: one region actor owns one simulation. Decisions take effect at the current
 * {@link #tick()}; advance to the decision's tick first.
 */
public final class RegionSimulation {

  private final RegionSpec spec;
  private final WorldClock clock;
  private final Climate climate;
  private final double tickSeconds;
  private final SpatialGrid grid = new SpatialGrid();
  // Insertion-ordered, so reports list agents in the same order on every run.
  private final Map<String, Occupant> occupants = new LinkedHashMap<>();
  private final Map<String, Occupant> walkers = new LinkedHashMap<>();
  private long tick;

  public RegionSimulation(RegionSpec spec, WorldClock clock, Climate climate, long startTick) {
    this.spec = spec;
    this.clock = clock;
    this.climate = climate;
    this.tickSeconds = clock.tickSeconds();
    this.tick = startTick;
  }

  /** A region simulation whose weather follows the clock's tick interval and day length. */
  public RegionSimulation(RegionSpec spec, WorldClock clock, long startTick) {
    this(spec, clock, new Climate(clock.tickInterval(), clock.dayLength()), startTick);
  }

  /** Rebuilds a region exactly as it was when {@code snapshot} was taken. */
  public static RegionSimulation restore(
      RegionSpec spec, WorldClock clock, Climate climate, RegionSnapshot snapshot) {
    RegionSimulation sim = new RegionSimulation(spec, clock, climate, snapshot.tick());
    for (AgentState a : snapshot.agents()) {
      Occupant o = new Occupant(a.agentId(), a.name(), a.permissions(), a.position(), 0);
      o.walk = a.walk();
      o.lastActiveTick = a.lastActiveTick();
      sim.occupants.put(o.agentId, o);
      sim.grid.put(o.agentId, o.position);
      if (o.walk != null) {
        sim.walkers.put(o.agentId, o);
      }
    }
    return sim;
  }

  public RegionSnapshot snapshot() {
    return new RegionSnapshot(tick, agents());
  }

  public RegionSpec spec() {
    return spec;
  }

  /** The last tick simulated. */
  public long tick() {
    return tick;
  }

  public int population() {
    return occupants.size();
  }

  public int walking() {
    return walkers.size();
  }

  public boolean contains(String agentId) {
    return occupants.containsKey(agentId);
  }

  public Optional<AgentState> agent(String agentId) {
    Occupant o = occupants.get(agentId);
    return o == null ? Optional.empty() : Optional.of(o.state());
  }

  /** Every agent in the region, in the order they entered it. */
  public List<AgentState> agents() {
    List<AgentState> all = new ArrayList<>(occupants.size());
    for (Occupant o : occupants.values()) {
      all.add(o.state());
    }
    return all;
  }

  public TimeOfDay timeOfDay() {
    return clock.timeOfDay(tick);
  }

  public Weather weather() {
    return climate.weather(spec.id(), tick);
  }

  /**
   * Where {@code agentId} appears when it joins without a position: near the spawn point, at a spot
   * derived from its id.
   */
  public Vec3 spawnPointFor(String agentId) {
    return Spawn.near(spec.spawn(), agentId);
  }

  /** Agents whose last decision is at least {@code ticks} ticks old. */
  public List<String> idleFor(long ticks) {
    List<String> idle = new ArrayList<>();
    for (Occupant o : occupants.values()) {
      if (tick - o.lastActiveTick >= ticks) {
        idle.add(o.agentId);
      }
    }
    return idle;
  }

  /**
   * Whether {@code decision} would be accepted now, without applying it: what a region checks
   * before it journals the decision.
   */
  public Optional<Rejection> check(Decision decision) {
    Rejection r = DecisionRules.check(decision);
    if (r == null) {
      r = checkAgainstRegion(decision);
    }
    return Optional.ofNullable(r);
  }

  /** Applies {@code decision} at the current tick, or rejects it and changes nothing. */
  public Outcome<Happening> apply(Decision decision) {
    Optional<Rejection> rejection = check(decision);
    if (rejection.isPresent()) {
      return new Outcome.Rejected<>(rejection.get());
    }
    Happening h;
    if (decision instanceof Decision.Join j) {
      h = join(j);
    } else if (decision instanceof Decision.Leave l) {
      h = leave(l);
    } else if (decision instanceof Decision.Move m) {
      h = move(m);
    } else if (decision instanceof Decision.Speak s) {
      h = speak(s);
    } else if (decision instanceof Decision.Emote e) {
      h = emote(e);
    } else {
      h = crossIn(((Decision.CrossIn) decision).crossing());
    }
    return Outcome.accepted(h);
  }

  /** Steps the world one tick: walkers move, arrive, or cross out of the region. */
  public TickReport step() {
    tick++;
    if (walkers.isEmpty()) {
      return new TickReport(tick, List.of(), List.of());
    }
    List<TickReport.AgentPosition> moved = new ArrayList<>(walkers.size());
    List<Happening> happenings = new ArrayList<>();
    Iterator<Occupant> it = walkers.values().iterator();
    while (it.hasNext()) {
      Occupant o = it.next();
      Walk w = o.walk;
      if (tick < w.endTick()) {
        o.position = w.positionAt(tick);
        grid.put(o.agentId, o.position);
        moved.add(new TickReport.AgentPosition(o.agentId, o.position));
      } else if (w.isLeaving()) {
        it.remove();
        occupants.remove(o.agentId);
        grid.remove(o.agentId);
        happenings.add(new Happening.CrossedOut(tick, o.agentId, Route.crossingOf(o, w)));
      } else {
        it.remove();
        o.position = w.target();
        o.walk = null;
        grid.put(o.agentId, o.position);
        moved.add(new TickReport.AgentPosition(o.agentId, o.position));
        happenings.add(new Happening.Arrived(tick, o.agentId, o.position));
      }
    }
    return new TickReport(tick, moved, happenings);
  }

  /**
   * Steps the world up to {@code target}, one tick at a time while anyone walks and in one jump
   * once nobody does. {@code moved} holds each agent's last position.
   */
  public TickReport advanceTo(long target) {
    if (target <= tick) {
      return new TickReport(tick, List.of(), List.of());
    }
    Map<String, Vec3> moved = new LinkedHashMap<>();
    List<Happening> happenings = new ArrayList<>();
    while (tick < target && !walkers.isEmpty()) {
      TickReport r = step();
      for (TickReport.AgentPosition p : r.moved()) {
        moved.put(p.agentId(), p.position());
      }
      for (Happening h : r.happenings()) {
        if (h instanceof Happening.CrossedOut) {
          moved.remove(h.agentId());
        }
        happenings.add(h);
      }
    }
    tick = target;
    List<TickReport.AgentPosition> positions = new ArrayList<>(moved.size());
    moved.forEach((id, p) -> positions.add(new TickReport.AgentPosition(id, p)));
    return new TickReport(tick, positions, happenings);
  }

  /** What {@code agentId} perceives, with the default view radius and limit. */
  public Outcome<Perception> perceive(String agentId) {
    return perceive(agentId, Perception.DEFAULT_RADIUS, Perception.DEFAULT_LIMIT);
  }

  /**
   * What {@code agentId} perceives: up to {@code limit} agents within {@code radius} metres,
   * nearest first, and what it heard since its previous perception, which this empties.
   */
  public Outcome<Perception> perceive(String agentId, double radius, int limit) {
    Rejection r = DecisionRules.agentId(agentId, "agent id");
    if (r != null) {
      return new Outcome.Rejected<>(r);
    }
    Occupant self = occupants.get(agentId);
    if (self == null) {
      return notHere(agentId);
    }
    if (!Double.isFinite(radius) || radius <= 0 || radius > RegionBounds.SIZE) {
      return Outcome.rejected(
          RejectionReason.OUT_OF_BOUNDS, "view radius must be above 0 and at most 256 m");
    }
    if (limit < 1 || limit > Perception.DEFAULT_LIMIT) {
      return Outcome.rejected(
          RejectionReason.OUT_OF_BOUNDS,
          "nearby limit must be from 1 to " + Perception.DEFAULT_LIMIT);
    }
    List<Perception.Nearby> nearby = new ArrayList<>();
    for (SpatialGrid.Hit hit : grid.nearest(self.position, radius, limit, agentId)) {
      Occupant other = occupants.get(hit.id());
      nearby.add(new Perception.Nearby(hit.id(), other.name, hit.position(), hit.distance()));
    }
    Vec3 movingTo = self.walk == null ? null : self.walk.target();
    return Outcome.accepted(
        new Perception(
            tick,
            new Perception.Self(agentId, spec.id(), self.position, movingTo),
            nearby,
            self.drainInbox(),
            timeOfDay(),
            weather()));
  }

  private Rejection checkAgainstRegion(Decision d) {
    Occupant o = occupants.get(d.agentId());
    if (d instanceof Decision.Join || d instanceof Decision.CrossIn) {
      return o == null
          ? null
          : new Rejection(
              RejectionReason.ALREADY_IN_REGION, d.agentId() + " is already in " + spec.id());
    }
    if (o == null) {
      return new Rejection(RejectionReason.NOT_IN_REGION, d.agentId() + " is not in " + spec.id());
    }
    Permission needed = null;
    if (d instanceof Decision.Move) {
      needed = Permission.MOVE;
    } else if (d instanceof Decision.Speak) {
      needed = Permission.SPEAK;
    } else if (d instanceof Decision.Emote) {
      needed = Permission.EMOTE;
    }
    if (needed != null && !o.permissions.contains(needed)) {
      return new Rejection(
          RejectionReason.PERMISSION_DENIED,
          d.agentId() + " lacks the '" + needed.wireName() + "' permission");
    }
    return null;
  }

  private static <T> Outcome<T> notHere(String agentId) {
    return Outcome.rejected(RejectionReason.NOT_IN_REGION, agentId + " is not in this region");
  }

  private Happening join(Decision.Join j) {
    Vec3 at = j.position() != null ? j.position() : Spawn.near(spec.spawn(), j.agentId());
    Occupant o = new Occupant(j.agentId(), j.name(), j.permissions(), at, tick);
    occupants.put(o.agentId, o);
    grid.put(o.agentId, at);
    return new Happening.Joined(tick, o.agentId, o.name, at);
  }

  private Happening leave(Decision.Leave l) {
    Occupant o = occupants.remove(l.agentId());
    walkers.remove(o.agentId);
    grid.remove(o.agentId);
    return new Happening.Left(tick, o.agentId, o.position);
  }

  private Happening move(Decision.Move m) {
    Occupant o = occupants.get(m.agentId());
    double speed = m.speed() == null ? Walk.DEFAULT_SPEED : m.speed();
    o.walk = plan(o.position, m.to(), speed);
    o.lastActiveTick = tick;
    walkers.put(o.agentId, o);
    return new Happening.WalkStarted(tick, o.agentId, o.walk);
  }

  /**
   * Who in this region hears {@code speakerId} speak now: everyone within the volume's range, the
   * speaker included, or for a private message the speaker and the recipient, if it is here.
   */
  public List<String> hearersOf(String speakerId, ChatRange volume, String to) {
    Occupant speaker = occupants.get(speakerId);
    List<String> hearers = new ArrayList<>();
    if (speaker == null) {
      return hearers;
    }
    if (to != null) {
      hearers.add(speakerId);
      if (!to.equals(speakerId) && occupants.containsKey(to)) {
        hearers.add(to);
      }
      return hearers;
    }
    ChatRange range = volume == null ? ChatRange.NORMAL : volume;
    for (SpatialGrid.Hit hit : grid.within(speaker.position, range.metres())) {
      hearers.add(hit.id());
    }
    return hearers;
  }

  /** Who in this region sees {@code agentId} emote now: everyone within the normal chat range. */
  public List<String> witnessesOf(String agentId) {
    return hearersOf(agentId, ChatRange.NORMAL, null);
  }

  private Happening speak(Decision.Speak s) {
    Occupant speaker = occupants.get(s.agentId());
    speaker.lastActiveTick = tick;
    ChatRange volume = s.volume() == null ? ChatRange.NORMAL : s.volume();
    List<String> hearers = hearersOf(speaker.agentId, volume, s.to());
    Heard heard = new Heard(tick, Heard.Kind.CHAT, speaker.agentId, s.text(), volume, s.to());
    deliver(heard, hearers, speaker.agentId);
    return new Happening.Spoke(tick, speaker.agentId, s.text(), volume, s.to(), hearers);
  }

  private Happening emote(Decision.Emote e) {
    Occupant actor = occupants.get(e.agentId());
    actor.lastActiveTick = tick;
    List<String> witnesses = witnessesOf(actor.agentId);
    deliver(
        new Heard(tick, Heard.Kind.EMOTE, actor.agentId, e.emote(), null, null),
        witnesses,
        actor.agentId);
    return new Happening.Emoted(tick, actor.agentId, e.emote(), witnesses);
  }

  private void deliver(Heard heard, List<String> hearers, String source) {
    for (String id : hearers) {
      if (!id.equals(source)) {
        occupants.get(id).hear(heard);
      }
    }
  }

  private Happening crossIn(Crossing c) {
    Occupant o = new Occupant(c.agentId(), c.name(), c.permissions(), c.entry(), tick);
    o.walk = plan(c.entry(), c.target(), c.speed());
    occupants.put(o.agentId, o);
    walkers.put(o.agentId, o);
    grid.put(o.agentId, o.position);
    return new Happening.CrossedIn(tick, o.agentId, c, o.walk);
  }

  private Walk plan(Vec3 from, Vec3 to, double speed) {
    return Route.plan(spec, from, to, speed, tickSeconds, tick);
  }
}
