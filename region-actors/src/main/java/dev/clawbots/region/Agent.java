package dev.clawbots.region;

import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionBounds;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One agent's place in the world, sharded by agent id: which region it is in, if any. Every join,
 * leave and action of the agent goes through here, one at a time, so that an agent is in at most
 * one region whatever its clients do at once: a join elsewhere first leaves the old region, and an
 * action by an agent in no region first joins the region it is given. Regions tell it when the
 * agent crosses into them or leaves idle.
 *
 * <p>While a command waits for its regions, later ones are stashed. Only where the agent is gets
 * journaled; what it does is the regions' to journal.
 */
public final class Agent
    extends EventSourcedBehaviorWithEnforcedReplies<Agent.Command, AgentEvent, Agent.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Agent");

  public sealed interface Command extends CborSerializable {}

  /**
   * Enter {@code regionId}, at {@code position} or near its spawn point when null. Already there,
   * it is answered with where the agent stands.
   */
  public record Join(
      String regionId,
      Vec3 position,
      String name,
      Set<Permission> permissions,
      ActorRef<RegionReply> replyTo)
      implements Command {}

  /** Leave the world; {@code not_found} when in no region. */
  public record Leave(ActorRef<RegionReply> replyTo) implements Command {}

  /**
   * Act in the agent's region; in no region, first join {@code orJoin} (its region and name are
   * used; its reply-to is not), or, when it is null, answer {@code not_found}.
   */
  public record Act(AgentAction action, Join orJoin, ActorRef<RegionReply> replyTo)
      implements Command {}

  /** Answered with {@link Whereabouts}. */
  public record Where(ActorRef<Whereabouts> replyTo) implements Command {}

  /** Where the agent is: a region id, or null for nowhere. */
  public record Whereabouts(String agentId, String regionId) implements CborSerializable {}

  /** From a region: the agent walked into it from a neighbour, as event {@code seq}. */
  public record CrossedInto(String regionId, long seq) implements Command {}

  /**
   * A connection (an agent WebSocket) wants {@link AgentNotice}s until it detaches or stops; it is
   * answered {@link AgentNotice.Attached}. Attachments are not journaled: a connection attaches
   * again from time to time, so that an entity restarted or moved to another node learns of it.
   */
  public record Attach(ActorRef<AgentNotice> connection) implements Command {}

  public record Detach(ActorRef<AgentNotice> connection) implements Command {}

  /** From another region: a private message to this agent, passed on to its connections. */
  public record Addressed(RegionEvent.Spoke message) implements Command {}

  /** From a region: the agent left it without asking (idle). */
  public record LeftRegion(String regionId) implements Command {}

  /**
   * The end of a command's work with its regions: what to journal (may be null) and answer, and the
   * seq of the event by which the agent entered a region, when it did (-1 when unknown).
   */
  private record Finished(
      AgentEvent event, RegionReply reply, ActorRef<RegionReply> replyTo, long enteredSeq)
      implements Command {
    Finished(AgentEvent event, RegionReply reply, ActorRef<RegionReply> replyTo) {
      this(event, reply, replyTo, -1);
    }
  }

  /**
   * Where the agent is, whether a command is at work, and the connections attached (neither of the
   * last two journaled: after a restart nothing is at work and connections attach again).
   */
  public static final class State {
    final String regionId;
    boolean busy;
    final Set<ActorRef<AgentNotice>> attached;

    State(String regionId) {
      this(regionId, new HashSet<>());
    }

    private State(String regionId, Set<ActorRef<AgentNotice>> attached) {
      this.regionId = regionId;
      this.attached = attached;
    }

    public String regionId() {
      return regionId;
    }
  }

  private final String agentId;
  private final ActorContext<Command> context;
  private final Function<String, RecipientRef<RegionCommand>> regions;
  private final Duration askTimeout;

  private Agent(
      String agentId,
      ActorContext<Command> context,
      Function<String, RecipientRef<RegionCommand>> regions,
      Duration askTimeout) {
    super(PersistenceId.of(ENTITY_KEY.name(), agentId));
    this.agentId = agentId;
    this.context = context;
    this.regions = regions;
    this.askTimeout = askTimeout;
  }

  /** Starts sharding of agents on this node; they reach regions through sharding. */
  public static void init(ActorSystem<?> system, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
            ENTITY_KEY,
            ctx ->
                create(
                    ctx.getEntityId(),
                    id -> sharding.entityRefFor(Region.ENTITY_KEY, id),
                    askTimeout)));
  }

  public static Behavior<Command> create(
      String agentId, Function<String, RecipientRef<RegionCommand>> regions, Duration askTimeout) {
    return Behaviors.setup(ctx -> new Agent(agentId, ctx, regions, askTimeout));
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public EventHandler<State, AgentEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(AgentEvent.Entered.class, (s, e) -> new State(e.regionId(), s.attached))
        .onEvent(AgentEvent.Exited.class, (s, e) -> new State(null, s.attached))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, AgentEvent, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Finished.class, this::onFinished)
        .onCommand(
            Where.class,
            (s, c) -> Effect().reply(c.replyTo(), new Whereabouts(agentId, s.regionId)))
        .onCommand(CrossedInto.class, this::onCrossedInto)
        .onCommand(Attach.class, this::onAttach)
        .onCommand(
            Detach.class,
            (s, c) -> {
              s.attached.remove(c.connection());
              return Effect().noReply();
            })
        .onCommand(
            Addressed.class,
            (s, c) -> {
              tell(s, new AgentNotice.Addressed(c.message()));
              return Effect().noReply();
            })
        .onCommand(LeftRegion.class, this::onLeftRegion)
        .onCommand(
            Join.class,
            (s, c) -> s.busy ? Effect().stash() : start(s, () -> join(s, c), c.replyTo()))
        .onCommand(
            Leave.class,
            (s, c) -> s.busy ? Effect().stash() : start(s, () -> leave(s, c), c.replyTo()))
        .onCommand(
            Act.class, (s, c) -> s.busy ? Effect().stash() : start(s, () -> act(s, c), c.replyTo()))
        .build();
  }

  private ReplyEffect<AgentEvent, State> start(
      State s, Supplier<CompletionStage<Finished>> task, ActorRef<RegionReply> replyTo) {
    CompletionStage<Finished> work;
    try {
      work = task.get();
    } catch (RuntimeException e) {
      // Never leave a caller without an answer, nor the entity busy.
      work = CompletableFuture.failedFuture(e);
    }
    s.busy = true;
    context.pipeToSelf(
        work,
        (finished, failure) ->
            finished != null
                ? finished
                : new Finished(
                    null,
                    RegionReply.Rejected.unavailable("the agent's regions did not answer"),
                    replyTo));
    return Effect().noReply();
  }

  private ReplyEffect<AgentEvent, State> onAttach(State s, Attach c) {
    if (s.attached.add(c.connection())) {
      context.watchWith(c.connection(), new Detach(c.connection()));
    }
    c.connection().tell(new AgentNotice.Attached(agentId, s.regionId));
    return Effect().noReply();
  }

  private void tell(State s, AgentNotice notice) {
    s.attached.forEach(c -> c.tell(notice));
  }

  private ReplyEffect<AgentEvent, State> onFinished(State s, Finished f) {
    s.busy = false;
    if (f.event() instanceof AgentEvent.Entered e) {
      tell(s, new AgentNotice.Entered(agentId, e.regionId(), f.enteredSeq()));
    } else if (f.event() instanceof AgentEvent.Exited e) {
      tell(s, new AgentNotice.Left(agentId, e.regionId()));
    }
    if (f.event() == null) {
      return Effect().reply(f.replyTo(), f.reply()).thenUnstashAll();
    }
    return Effect().persist(f.event()).thenReply(f.replyTo(), st -> f.reply()).thenUnstashAll();
  }

  private ReplyEffect<AgentEvent, State> onCrossedInto(State s, CrossedInto c) {
    tell(s, new AgentNotice.Entered(agentId, c.regionId(), c.seq()));
    if (c.regionId().equals(s.regionId)) {
      return Effect().noReply();
    }
    return Effect().persist(new AgentEvent.Entered(agentId, c.regionId())).thenNoReply();
  }

  private ReplyEffect<AgentEvent, State> onLeftRegion(State s, LeftRegion c) {
    if (!c.regionId().equals(s.regionId)) {
      return Effect().noReply();
    }
    tell(s, new AgentNotice.Left(agentId, c.regionId()));
    return Effect().persist(new AgentEvent.Exited(agentId, c.regionId())).thenNoReply();
  }

  private CompletionStage<Finished> join(State s, Join c) {
    String target = c.regionId();
    if (c.position() != null && !RegionBounds.contains(c.position())) {
      // Refused before leaving anywhere: a join that cannot work must not strand the agent.
      return done(
          null,
          new RegionReply.Rejected(
              "bad_request",
              "OUT_OF_BOUNDS",
              "position must satisfy 0 <= x,y < 256 and 0 <= z <= 4096"),
          c.replyTo());
    }
    if (s.regionId != null && !target.equals(s.regionId)) {
      // Likewise: the region to go to must be there and answering before the agent leaves.
      return ask(target, RegionCommand.View::new)
          .thenCompose(
              view ->
                  view instanceof RegionReply.View ? moveTo(s, c) : done(null, view, c.replyTo()));
    }
    return moveTo(s, c);
  }

  private CompletionStage<Finished> moveTo(State s, Join c) {
    String target = c.regionId();
    // Joining the region the agent is in asks it again: it answers where the agent stands, or, if
    // the agent has gone from it meanwhile, takes it back.
    CompletionStage<RegionReply> left =
        s.regionId == null || target.equals(s.regionId)
            ? CompletableFuture.completedFuture(null)
            : ask(s.regionId, r -> new RegionCommand.Leave(agentId, r));
    String previous = s.regionId;
    return left.thenCompose(
        leaving ->
            ask(
                    target,
                    r ->
                        new RegionCommand.Join(agentId, c.name(), c.position(), c.permissions(), r))
                .thenCompose(
                    joined -> {
                      if (joined instanceof RegionReply.Accepted a) {
                        return CompletableFuture.completedFuture(
                            new Finished(
                                new AgentEvent.Entered(agentId, target),
                                joined,
                                c.replyTo(),
                                a.seq()));
                      }
                      if (isReason(joined, "ALREADY_IN_REGION")) {
                        return here(
                            target,
                            c.replyTo(),
                            target.equals(s.regionId)
                                ? null
                                : new AgentEvent.Entered(agentId, target));
                      }
                      AgentEvent exited =
                          previous != null && gone(leaving)
                              ? new AgentEvent.Exited(agentId, previous)
                              : null;
                      return done(exited, joined, c.replyTo());
                    }));
  }

  private CompletionStage<Finished> leave(State s, Leave c) {
    if (s.regionId == null) {
      return done(null, nowhere(), c.replyTo());
    }
    String region = s.regionId;
    return ask(region, r -> new RegionCommand.Leave(agentId, r))
        .thenApply(
            reply ->
                new Finished(
                    gone(reply) ? new AgentEvent.Exited(agentId, region) : null,
                    isReason(reply, "NOT_IN_REGION") ? nowhere() : reply,
                    c.replyTo()));
  }

  private CompletionStage<Finished> act(State s, Act c) {
    if (s.regionId == null && c.orJoin() == null) {
      return done(null, nowhere(), c.replyTo());
    }
    if (s.regionId == null) {
      Join j = c.orJoin();
      String region = j.regionId();
      return ask(
              region,
              r -> new RegionCommand.Join(agentId, j.name(), j.position(), j.permissions(), r))
          .thenCompose(
              joined -> {
                if (!(joined instanceof RegionReply.Accepted)
                    && !isReason(joined, "ALREADY_IN_REGION")) {
                  return done(null, joined, c.replyTo());
                }
                long enteredSeq = joined instanceof RegionReply.Accepted a ? a.seq() : -1;
                return ask(region, r -> command(c.action(), r))
                    .thenApply(
                        reply ->
                            new Finished(
                                new AgentEvent.Entered(agentId, region),
                                reply,
                                c.replyTo(),
                                enteredSeq));
              });
    }
    String region = s.regionId;
    return ask(region, r -> command(c.action(), r))
        .thenApply(
            reply ->
                isReason(reply, "NOT_IN_REGION")
                    // It left without this entity hearing of it: it is nowhere until it joins.
                    ? new Finished(new AgentEvent.Exited(agentId, region), nowhere(), c.replyTo())
                    : new Finished(null, reply, c.replyTo()));
  }

  private RegionCommand command(AgentAction action, ActorRef<RegionReply> replyTo) {
    if (action instanceof AgentAction.Move m) {
      return new RegionCommand.Move(agentId, m.to(), m.speed(), replyTo);
    }
    if (action instanceof AgentAction.Speak sp) {
      return new RegionCommand.Speak(agentId, sp.text(), sp.volume(), sp.to(), replyTo);
    }
    if (action instanceof AgentAction.Emote e) {
      return new RegionCommand.Emote(agentId, e.emote(), replyTo);
    }
    if (action instanceof AgentAction.Prompt p) {
      return new RegionCommand.Prompt(
          agentId, p.spectatorId(), p.spectatorName(), p.text(), replyTo);
    }
    return new RegionCommand.Perceive(agentId, replyTo);
  }

  private static RegionReply.Rejected nowhere() {
    return new RegionReply.Rejected(
        "not_found", "NOT_IN_REGION", "the agent is in no region; join first");
  }

  /** Answers a join of the region the agent is in with where it stands there. */
  private CompletionStage<Finished> here(
      String regionId, ActorRef<RegionReply> replyTo, AgentEvent event) {
    return ask(regionId, RegionCommand.View::new)
        .thenApply(
            reply -> {
              if (reply instanceof RegionReply.View v) {
                for (RegionReply.AgentView a : v.agents()) {
                  if (a.agentId().equals(agentId)) {
                    return new Finished(
                        event,
                        new RegionReply.Accepted(regionId, v.worldTick(), v.seq(), a.position()),
                        replyTo);
                  }
                }
                // Gone between the join and the look: it is nowhere.
                return new Finished(new AgentEvent.Exited(agentId, regionId), nowhere(), replyTo);
              }
              return new Finished(null, reply, replyTo);
            });
  }

  private static boolean gone(RegionReply leaving) {
    return leaving instanceof RegionReply.Accepted || isReason(leaving, "NOT_IN_REGION");
  }

  private static boolean isReason(RegionReply reply, String reason) {
    return reply instanceof RegionReply.Rejected r && reason.equals(r.reason());
  }

  private static CompletionStage<Finished> done(
      AgentEvent event, RegionReply reply, ActorRef<RegionReply> replyTo) {
    return CompletableFuture.completedFuture(new Finished(event, reply, replyTo));
  }

  private CompletionStage<RegionReply> ask(
      String regionId, Function<ActorRef<RegionReply>, RegionCommand> command) {
    return Regions.ask(
        regions.apply(regionId), command::apply, askTimeout, context.getSystem().scheduler());
  }
}
