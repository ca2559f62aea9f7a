package dev.clawbots.region;

import dev.clawbots.world.AgentState;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Decision;
import dev.clawbots.world.Outcome;
import dev.clawbots.world.Perception;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.RegionSpec;
import dev.clawbots.world.Rejection;
import dev.clawbots.world.RejectionReason;
import dev.clawbots.world.Vec3;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A region: a sharded, event-sourced actor that owns its agents' positions, its spatial index and
 * its tick loop. It journals what agents decide, never their positions on each tick: the world
 * engine makes movement a function of the events and the tick count.
 *
 * <p>Every action is stepped up to the current world tick first, so it takes effect at the tick it
 * arrives in; arrivals and crossings that stepping produces are journaled with it.
 */
public final class Region
    extends EventSourcedBehaviorWithEnforcedReplies<RegionCommand, RegionEvent, RegionState> {

  public static final EntityTypeKey<RegionCommand> ENTITY_KEY =
      EntityTypeKey.create(RegionCommand.class, "Region");

  /** The tag every region event carries, for projections that read the journal by tag. */
  public static final String TAG = "region";

  private final String regionId;
  private final RegionSpec spec;
  private final RegionEnvironment env;
  private final RegionTimers timers;
  private final Handovers handovers;

  private Region(
      String regionId,
      RegionSpec spec,
      RegionEnvironment env,
      ActorContext<RegionCommand> context,
      TimerScheduler<RegionCommand> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), regionId),
        SupervisorStrategy.restartWithBackoff(
            env.settings().restartBackoffMin(), env.settings().restartBackoffMax(), 0.2));
    this.regionId = regionId;
    this.spec = spec;
    this.env = env;
    this.timers = new RegionTimers(env, context, timers, shard);
    this.handovers = new Handovers(regionId, env, context, timers);
  }

  /** Starts sharding of regions on this node. */
  public static void init(ActorSystem<?> system, RegionEnvironment env) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), env, ctx.getShard()))
                .withStopMessage(new RegionCommand.Passivate()));
  }

  /**
   * A region. {@code shard} is where it asks to passivate once empty; null (outside sharding) never
   * passivates. A region id that is not on the map answers every command with {@code not_found}.
   */
  public static Behavior<RegionCommand> create(
      String regionId, RegionEnvironment env, ActorRef<ClusterSharding.ShardCommand> shard) {
    Optional<RegionSpec> spec = env.map().spec(regionId);
    if (spec.isEmpty()) {
      return UnknownRegion.create(regionId);
    }
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Region(regionId, spec.get(), env, ctx, timers, shard)));
  }

  @Override
  public RegionState emptyState() {
    return RegionState.unborn();
  }

  /** The state to work on: a fresh one in place of the shared, immutable unborn state. */
  private RegionState live(RegionState s) {
    return s.isUnborn() ? new RegionState(new RegionSimulation(spec, env.clock(), 0)) : s;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(
        env.settings().snapshotEvery(), env.settings().snapshotsKept());
  }

  @Override
  public Set<String> tagsFor(RegionEvent event) {
    return Set.of(TAG);
  }

  @Override
  public SnapshotAdapter<RegionState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RegionState state) {
        return state.snapshot();
      }

      @Override
      public RegionState fromJournal(Object from) {
        RegionStateSnapshot s = (RegionStateSnapshot) from;
        return RegionState.restore(
            RegionSimulation.restore(spec, env.clock(), climate(), s.world()), s);
      }
    };
  }

  private dev.clawbots.world.Climate climate() {
    return new dev.clawbots.world.Climate(env.clock().tickInterval(), env.clock().dayLength());
  }

  @Override
  public EventHandler<RegionState, RegionEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> live(s).apply(e));
  }

  @Override
  public SignalHandler<RegionState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            unbornOrLive -> {
              RegionState state = live(unbornOrLive);
              Ports.call(env.metrics(), m -> m.population(regionId, state.sim.agents().size()));
              timers.startHousekeeping();
              timers.keepTicking(state);
              state.pending().forEach(handovers::send);
            })
        // Stopped here (passivated, or handed to another node): that node reports it now.
        .onSignal(PostStop.instance(), state -> Ports.call(env.metrics(), m -> m.stopped(regionId)))
        .build();
  }

  @Override
  public CommandHandlerWithReply<RegionCommand, RegionEvent, RegionState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RegionCommand.Join.class, (s, c) -> onJoin(live(s), c))
        .onCommand(RegionCommand.Leave.class, (s, c) -> onLeave(live(s), c))
        .onCommand(RegionCommand.Move.class, (s, c) -> onMove(live(s), c))
        .onCommand(RegionCommand.Speak.class, (s, c) -> onSpeak(live(s), c))
        .onCommand(RegionCommand.Emote.class, (s, c) -> onEmote(live(s), c))
        .onCommand(RegionCommand.Perceive.class, (s, c) -> onPerceive(live(s), c))
        .onCommand(RegionCommand.Prompt.class, (s, c) -> onPrompt(live(s), c))
        .onCommand(RegionCommand.HearAvatar.class, (s, c) -> onHearAvatar(live(s), c))
        .onCommand(RegionCommand.View.class, (s, c) -> onView(live(s), c))
        .onCommand(RegionCommand.AcceptCrossing.class, (s, c) -> onAcceptCrossing(live(s), c))
        .onCommand(RegionCommand.Passivate.class, (s, c) -> Effect().stop().thenNoReply())
        .onCommand(RegionTimers.Tick.class, (s, c) -> onTick(live(s)))
        .onCommand(RegionTimers.Housekeeping.class, (s, c) -> onHousekeeping(live(s)))
        .onCommand(Handovers.Answered.class, (s, c) -> onHandoverAnswered(live(s), c))
        .onCommand(Handovers.Retry.class, (s, c) -> onRetryHandover(live(s), c))
        .build();
  }

  private ReplyEffect<RegionEvent, RegionState> onJoin(RegionState s, RegionCommand.Join c) {
    Vec3 at =
        c.position() != null || c.agentId() == null
            ? c.position()
            : s.sim.spawnPointFor(c.agentId());
    return decide(
        s,
        new Decision.Join(c.agentId(), c.name(), at, c.permissions()),
        c.replyTo(),
        (seq, tick) ->
            new RegionEvent.AgentJoined(
                regionId, seq, tick, at(tick), c.agentId(), c.name(), at, c.permissions()));
  }

  private ReplyEffect<RegionEvent, RegionState> onLeave(RegionState s, RegionCommand.Leave c) {
    return decide(
        s,
        new Decision.Leave(c.agentId()),
        c.replyTo(),
        (seq, tick) ->
            new RegionEvent.AgentLeft(
                regionId, seq, tick, at(tick), c.agentId(), "left", position(s, c.agentId())));
  }

  private ReplyEffect<RegionEvent, RegionState> onMove(RegionState s, RegionCommand.Move c) {
    double speed = c.speed() == null ? dev.clawbots.world.Walk.DEFAULT_SPEED : c.speed();
    return decide(
        s,
        new Decision.Move(c.agentId(), c.to(), c.speed()),
        c.replyTo(),
        (seq, tick) ->
            new RegionEvent.MoveStarted(
                regionId,
                seq,
                tick,
                at(tick),
                c.agentId(),
                position(s, c.agentId()),
                c.to(),
                speed));
  }

  private ReplyEffect<RegionEvent, RegionState> onSpeak(RegionState s, RegionCommand.Speak c) {
    Decision.Speak d = new Decision.Speak(c.agentId(), c.text(), c.volume(), c.to());
    return decide(
        s,
        d,
        c.replyTo(),
        (seq, tick) -> {
          // Who hears is decided now, where everyone stands at this tick.
          return new RegionEvent.Spoke(
              regionId,
              seq,
              tick,
              at(tick),
              c.agentId(),
              c.text(),
              c.volume() == null ? ChatRange.NORMAL : c.volume(),
              c.to(),
              s.sim.hearersOf(c.agentId(), c.volume(), c.to()));
        });
  }

  private ReplyEffect<RegionEvent, RegionState> onEmote(RegionState s, RegionCommand.Emote c) {
    Decision.Emote d = new Decision.Emote(c.agentId(), c.emote());
    return decide(
        s,
        d,
        c.replyTo(),
        (seq, tick) ->
            new RegionEvent.Emoted(
                regionId,
                seq,
                tick,
                at(tick),
                c.agentId(),
                c.emote(),
                s.sim.witnessesOf(c.agentId())));
  }

  private ReplyEffect<RegionEvent, RegionState> onPerceive(
      RegionState s, RegionCommand.Perceive c) {
    List<RegionEvent> events = step(s);
    return persistThen(
        events,
        c.replyTo(),
        st -> {
          Outcome<Perception> p = st.sim.perceive(c.agentId());
          if (p instanceof Outcome.Accepted<Perception> a) {
            return new RegionReply.Perceived(a.value());
          }
          return RegionReply.Rejected.of(((Outcome.Rejected<Perception>) p).rejection());
        });
  }

  private ReplyEffect<RegionEvent, RegionState> onPrompt(RegionState s, RegionCommand.Prompt c) {
    List<RegionEvent> events = step(s);
    if (s.sim.agent(c.agentId()).isEmpty()) {
      return persistThen(
          events,
          c.replyTo(),
          st ->
              new RegionReply.Rejected(
                  "not_found", "NOT_IN_REGION", "agent " + c.agentId() + " is not in " + regionId));
    }
    long tick = s.sim.tick();
    RegionEvent.Prompted prompted =
        new RegionEvent.Prompted(
            regionId,
            s.seq + events.size() + 1,
            tick,
            at(tick),
            c.agentId(),
            c.spectatorId(),
            c.spectatorName(),
            c.text());
    events.add(prompted);
    return persistThen(
        events,
        c.replyTo(),
        st -> new RegionReply.Accepted(regionId, tick, prompted.seq(), position(st, c.agentId())));
  }

  private ReplyEffect<RegionEvent, RegionState> onHearAvatar(
      RegionState s, RegionCommand.HearAvatar c) {
    List<RegionEvent> events = step(s);
    if (c.text() == null || c.avatarName() == null || c.position() == null) {
      return persistThen(
          events,
          c.replyTo(),
          st ->
              new RegionReply.Rejected(
                  "bad_request", "INCOMPLETE", "an avatar's chat needs a name, text and position"));
    }
    ChatRange volume = c.volume() == null ? ChatRange.NORMAL : c.volume();
    long tick = s.sim.tick();
    List<String> hearers = new ArrayList<>();
    for (AgentState a : s.sim.agents()) {
      if (a.position().distanceTo(c.position()) <= volume.metres()) {
        hearers.add(a.agentId());
      }
    }
    RegionEvent.AvatarSpoke spoke =
        new RegionEvent.AvatarSpoke(
            regionId,
            s.seq + events.size() + 1,
            tick,
            at(tick),
            c.avatarId(),
            c.avatarName(),
            c.text(),
            volume,
            c.position(),
            hearers);
    events.add(spoke);
    return persistThen(
        events,
        c.replyTo(),
        st -> new RegionReply.Accepted(regionId, tick, spoke.seq(), c.position()));
  }

  private ReplyEffect<RegionEvent, RegionState> onView(RegionState s, RegionCommand.View c) {
    if (s.sim.walking() == 0) {
      // Nobody walks, so stepping can produce nothing that would have to be journaled.
      s.sim.advanceTo(env.clock().currentTick());
    }
    List<RegionReply.AgentView> agents = new ArrayList<>();
    for (AgentState a : s.sim.agents()) {
      agents.add(new RegionReply.AgentView(a.agentId(), a.name(), a.position(), a.movingTo()));
    }
    return Effect()
        .reply(
            c.replyTo(),
            new RegionReply.View(
                regionId,
                spec.name(),
                spec.grid().x(),
                spec.grid().y(),
                s.sim.tick(),
                s.seq,
                s.sim.timeOfDay(),
                s.sim.weather(),
                agents,
                s.pendingHandovers.size()));
  }

  private ReplyEffect<RegionEvent, RegionState> onAcceptCrossing(
      RegionState s, RegionCommand.AcceptCrossing c) {
    if (c.crossing() == null || c.crossing().agentId() == null) {
      return Effect()
          .reply(
              c.replyTo(),
              RegionReply.Rejected.of(
                  new Rejection(RejectionReason.INVALID_ID, "crossing is incomplete")));
    }
    if (c.handoverId() != null && s.acceptedHandovers.contains(c.handoverId())) {
      return Effect().reply(c.replyTo(), accepted(s, c.crossing().agentId()));
    }
    Decision.CrossIn d = new Decision.CrossIn(c.crossing());
    List<RegionEvent> events = step(s);
    Optional<Rejection> r =
        c.handoverId() == null
            ? Optional.of(new Rejection(RejectionReason.INVALID_ID, "hand-over id is missing"))
            : s.sim.check(d);
    if (r.isPresent() && r.get().reason() == RejectionReason.ALREADY_IN_REGION) {
      // The agent is here already: taking it in again would put it here twice.
      return persistThen(events, c.replyTo(), st -> accepted(st, c.crossing().agentId()));
    }
    if (r.isPresent()) {
      return persistThen(events, c.replyTo(), st -> RegionReply.Rejected.of(r.get()));
    }
    long tick = s.sim.tick();
    events.add(
        new RegionEvent.CrossedIn(
            regionId,
            s.seq + events.size() + 1,
            tick,
            at(tick),
            c.crossing().agentId(),
            c.fromRegion(),
            c.handoverId(),
            c.crossing()));
    return persistThen(events, c.replyTo(), st -> accepted(st, c.crossing().agentId()));
  }

  private ReplyEffect<RegionEvent, RegionState> onTick(RegionState s) {
    List<RegionEvent> events = step(s);
    if (events.isEmpty()) {
      timers.keepTicking(s);
      return Effect().noReply();
    }
    long persisting = System.nanoTime();
    return Effect()
        .persist(events)
        .thenRun(st -> afterJournaled(events, st, persisting))
        .thenNoReply();
  }

  /** The events of bringing the region up to now, with the time it took reported. */
  private List<RegionEvent> step(RegionState s) {
    long start = System.nanoTime();
    List<RegionEvent> events = CatchUp.step(regionId, s, env);
    long took = System.nanoTime() - start;
    Ports.call(env.metrics(), m -> m.stepped(regionId, took));
    return events;
  }

  private ReplyEffect<RegionEvent, RegionState> onHousekeeping(RegionState s) {
    List<RegionEvent> events = step(s);
    long idleTicks =
        env.settings().agentIdleTimeout().toNanos() / env.clock().tickInterval().toNanos();
    long tick = s.sim.tick();
    for (String agentId : s.sim.idleFor(idleTicks)) {
      events.add(
          new RegionEvent.AgentLeft(
              regionId,
              s.seq + events.size() + 1,
              tick,
              at(tick),
              agentId,
              "idle",
              position(s, agentId)));
    }
    timers.passivateIfLongEmpty(s, events.isEmpty());
    if (events.isEmpty()) {
      return Effect().noReply();
    }
    long persisting = System.nanoTime();
    return Effect()
        .persist(events)
        .thenRun(st -> afterJournaled(events, st, persisting))
        .thenNoReply();
  }

  private ReplyEffect<RegionEvent, RegionState> onHandoverAnswered(
      RegionState s, Handovers.Answered a) {
    if (!s.pendingHandovers.containsKey(a.handoverId())) {
      return Effect().noReply();
    }
    if (!a.accepted()) {
      handovers.retryLater(a);
      return Effect().noReply();
    }
    handovers.acknowledged(a.handoverId());
    long tick = s.sim.tick();
    return Effect()
        .persist(new RegionEvent.HandoverConfirmed(regionId, s.seq, tick, at(tick), a.handoverId()))
        .thenNoReply();
  }

  private ReplyEffect<RegionEvent, RegionState> onRetryHandover(RegionState s, Handovers.Retry r) {
    RegionEvent.CrossedOut c = s.pendingHandovers.get(r.handoverId());
    if (c != null) {
      handovers.send(c);
    }
    return Effect().noReply();
  }

  /** How an action becomes an event, given the seq and tick it gets. */
  @FunctionalInterface
  private interface EventFor {
    RegionEvent at(long seq, long tick);
  }

  /**
   * Steps the region to now, checks {@code decision} against it, and journals the events of the
   * catch-up with, if accepted, the action's own event, replying once they are stored.
   */
  private ReplyEffect<RegionEvent, RegionState> decide(
      RegionState s, Decision decision, ActorRef<RegionReply> replyTo, EventFor eventFor) {
    List<RegionEvent> events = step(s);
    Optional<Rejection> rejection = s.sim.check(decision);
    if (rejection.isPresent()) {
      return persistThen(events, replyTo, st -> RegionReply.Rejected.of(rejection.get()));
    }
    RegionEvent event = eventFor.at(s.seq + events.size() + 1, s.sim.tick());
    events.add(event);
    return persistThen(
        events,
        replyTo,
        st ->
            new RegionReply.Accepted(
                regionId,
                event.tick(),
                event.seq(),
                st.sim.agent(decision.agentId()).map(AgentState::position).orElse(null)));
  }

  private ReplyEffect<RegionEvent, RegionState> persistThen(
      List<RegionEvent> events,
      ActorRef<RegionReply> replyTo,
      org.apache.pekko.japi.function.Function<RegionState, RegionReply> reply) {
    if (events.isEmpty()) {
      return Effect().none().thenReply(replyTo, reply);
    }
    long persisting = System.nanoTime();
    return Effect()
        .persist(events)
        .thenRun(st -> afterJournaled(events, st, persisting))
        .thenReply(replyTo, reply);
  }

  private void afterJournaled(List<RegionEvent> events, RegionState state, long persisting) {
    long took = System.nanoTime() - persisting;
    Ports.call(env.metrics(), m -> m.journaled(regionId, events.size(), took));
    Ports.call(env.metrics(), m -> m.population(regionId, state.sim.agents().size()));
    for (RegionEvent e : events) {
      if (e.visible()) {
        Ports.tell(env.feed(), o -> o.eventJournaled(e));
        Ports.tell(env.mirror(), o -> o.eventJournaled(e));
      }
      if (e instanceof RegionEvent.CrossedOut c) {
        handovers.send(c);
      }
    }
    timers.keepTicking(state);
  }

  private RegionReply.Accepted accepted(RegionState s, String agentId) {
    return new RegionReply.Accepted(
        regionId, s.sim.tick(), s.seq, s.sim.agent(agentId).map(AgentState::position).orElse(null));
  }

  private static Vec3 position(RegionState s, String agentId) {
    return s.sim.agent(agentId).map(AgentState::position).orElse(null);
  }

  private Instant at(long tick) {
    return env.clock().instantOf(tick);
  }
}
