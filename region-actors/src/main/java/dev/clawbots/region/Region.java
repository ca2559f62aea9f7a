package dev.clawbots.region;

import dev.clawbots.world.AgentState;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Decision;
import dev.clawbots.world.Happening;
import dev.clawbots.world.Outcome;
import dev.clawbots.world.Perception;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.RegionSpec;
import dev.clawbots.world.Rejection;
import dev.clawbots.world.RejectionReason;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
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

  enum Tick implements RegionCommand.Internal {
    INSTANCE
  }

  enum Housekeeping implements RegionCommand.Internal {
    INSTANCE
  }

  record HandoverAnswered(String handoverId, boolean accepted, String problem)
      implements RegionCommand.Internal {}

  record RetryHandover(String handoverId) implements RegionCommand.Internal {}

  private final String regionId;
  private final RegionSpec spec;
  private final RegionEnvironment env;
  private final ActorContext<RegionCommand> context;
  private final TimerScheduler<RegionCommand> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final Map<String, Integer> handoverAttempts = new HashMap<>();
  private boolean ticking;
  private Instant emptySince;

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
    this.context = context;
    this.timers = timers;
    this.shard = shard;
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
              if (env.settings().automaticTicks()) {
                timers.startTimerWithFixedDelay(
                    Housekeeping.INSTANCE, env.settings().housekeepingInterval());
              }
              keepTicking(state);
              state.pending().forEach(this::handOver);
            })
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
        .onCommand(RegionCommand.View.class, (s, c) -> onView(live(s), c))
        .onCommand(RegionCommand.AcceptCrossing.class, (s, c) -> onAcceptCrossing(live(s), c))
        .onCommand(RegionCommand.Passivate.class, (s, c) -> Effect().stop().thenNoReply())
        .onCommand(Tick.class, (s, c) -> onTick(live(s)))
        .onCommand(Housekeeping.class, (s, c) -> onHousekeeping(live(s)))
        .onCommand(HandoverAnswered.class, (s, c) -> onHandoverAnswered(live(s), c))
        .onCommand(RetryHandover.class, (s, c) -> onRetryHandover(live(s), c))
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
    List<RegionEvent> events = catchUp(s);
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
    List<RegionEvent> events = catchUp(s);
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
    List<RegionEvent> events = catchUp(s);
    if (events.isEmpty()) {
      keepTicking(s);
      return Effect().noReply();
    }
    return Effect().persist(events).thenRun(st -> afterJournaled(events, st)).thenNoReply();
  }

  private ReplyEffect<RegionEvent, RegionState> onHousekeeping(RegionState s) {
    List<RegionEvent> events = catchUp(s);
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
    passivateIfLongEmpty(s, events.isEmpty());
    if (events.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(events).thenRun(st -> afterJournaled(events, st)).thenNoReply();
  }

  private void passivateIfLongEmpty(RegionState s, boolean quiet) {
    if (s.sim.population() > 0 || !s.pendingHandovers.isEmpty() || !quiet) {
      emptySince = null;
      return;
    }
    Instant now = env.clock().instantOf(env.clock().currentTick());
    if (emptySince == null) {
      emptySince = now;
    } else if (shard != null
        && Duration.between(emptySince, now).compareTo(env.settings().passivateAfter()) >= 0) {
      context
          .getLog()
          .debug("region {} has been empty since {}: passivating", regionId, emptySince);
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  private ReplyEffect<RegionEvent, RegionState> onHandoverAnswered(
      RegionState s, HandoverAnswered a) {
    if (!s.pendingHandovers.containsKey(a.handoverId())) {
      return Effect().noReply();
    }
    if (a.accepted()) {
      handoverAttempts.remove(a.handoverId());
      long tick = s.sim.tick();
      return Effect()
          .persist(
              new RegionEvent.HandoverConfirmed(regionId, s.seq, tick, at(tick), a.handoverId()))
          .thenNoReply();
    }
    int attempt = handoverAttempts.merge(a.handoverId(), 1, Integer::sum);
    Duration wait = backoff(attempt);
    context
        .getLog()
        .warn(
            "region {}: hand-over {} not acknowledged ({}); retry {} in {} ms",
            regionId,
            a.handoverId(),
            a.problem(),
            attempt,
            wait.toMillis());
    timers.startSingleTimer("handover-" + a.handoverId(), new RetryHandover(a.handoverId()), wait);
    return Effect().noReply();
  }

  private Duration backoff(int attempt) {
    long millis = 200L << Math.min(attempt, 10);
    return Duration.ofMillis(Math.min(millis, env.settings().handoverBackoffMax().toMillis()));
  }

  private ReplyEffect<RegionEvent, RegionState> onRetryHandover(RegionState s, RetryHandover r) {
    RegionEvent.CrossedOut c = s.pendingHandovers.get(r.handoverId());
    if (c != null) {
      handOver(c);
    }
    return Effect().noReply();
  }

  /** Hands a crossing to its destination; the answer comes back as {@link HandoverAnswered}. */
  private void handOver(RegionEvent.CrossedOut c) {
    RecipientRef<RegionCommand> destination = env.regions().apply(c.toRegion());
    if (destination == null) {
      context
          .getSelf()
          .tell(new HandoverAnswered(c.handoverId(), false, "no way to reach " + c.toRegion()));
      return;
    }
    context.ask(
        RegionReply.class,
        destination,
        env.settings().handoverTimeout(),
        replyTo ->
            new RegionCommand.AcceptCrossing(c.handoverId(), regionId, c.crossing(), replyTo),
        (reply, failure) -> {
          if (reply instanceof RegionReply.Accepted) {
            return new HandoverAnswered(c.handoverId(), true, null);
          }
          String problem = failure != null ? failure.getMessage() : String.valueOf(reply);
          return new HandoverAnswered(c.handoverId(), false, problem);
        });
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
    List<RegionEvent> events = catchUp(s);
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
    return Effect()
        .persist(events)
        .thenRun(st -> afterJournaled(events, st))
        .thenReply(replyTo, reply);
  }

  /**
   * Steps the simulation to the current world tick. Moved agents go to the ports at once; arrivals
   * and crossings come back as events to journal.
   */
  private List<RegionEvent> catchUp(RegionState s) {
    TickReport report = s.sim.advanceTo(env.clock().currentTick());
    if (!report.moved().isEmpty()) {
      tell(env.feed(), o -> o.agentsMoved(regionId, report.tick(), report.moved()));
      tell(env.mirror(), o -> o.agentsMoved(regionId, report.tick(), report.moved()));
    }
    List<RegionEvent> events = new ArrayList<>();
    long seq = s.seq;
    for (Happening h : report.happenings()) {
      if (h instanceof Happening.Arrived a) {
        events.add(
            new RegionEvent.Arrived(
                regionId, ++seq, a.tick(), at(a.tick()), a.agentId(), a.position()));
      } else if (h instanceof Happening.CrossedOut c) {
        ++seq;
        String destination = env.map().neighbour(regionId, c.crossing().edge()).orElseThrow();
        events.add(
            new RegionEvent.CrossedOut(
                regionId,
                seq,
                c.tick(),
                at(c.tick()),
                c.agentId(),
                destination,
                regionId + "#" + seq,
                c.crossing()));
      }
    }
    return events;
  }

  private void afterJournaled(List<RegionEvent> events, RegionState state) {
    for (RegionEvent e : events) {
      if (e.visible()) {
        tell(env.feed(), o -> o.eventJournaled(e));
        tell(env.mirror(), o -> o.eventJournaled(e));
      }
      if (e instanceof RegionEvent.CrossedOut c) {
        handOver(c);
      }
    }
    keepTicking(state);
  }

  /** A port that fails must not take the region down with it: its failure is only logged. */
  private void tell(RegionObserver observer, java.util.function.Consumer<RegionObserver> call) {
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      context
          .getLog()
          .error("region {}: {} failed", regionId, observer.getClass().getSimpleName(), e);
    }
  }

  /** Runs the tick timer while anyone walks, and stops it when nobody does. */
  private void keepTicking(RegionState s) {
    boolean needed = env.settings().automaticTicks() && s.sim.walking() > 0;
    if (needed && !ticking) {
      timers.startTimerAtFixedRate("tick", Tick.INSTANCE, env.clock().tickInterval());
    } else if (!needed && ticking) {
      timers.cancel("tick");
    }
    ticking = needed;
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
