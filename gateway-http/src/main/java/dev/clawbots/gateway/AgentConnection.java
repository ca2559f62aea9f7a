package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.gateway.auth.AuthFailure;
import dev.clawbots.gateway.auth.Authentication;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.persistence.FeedDelivery;
import dev.clawbots.region.Agent;
import dev.clawbots.region.AgentNotice;
import dev.clawbots.region.FeedEvent;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BoundedSourceQueue;

/**
 * One agent WebSocket: the actor between the socket and the world. It reads the client's messages
 * one at a time (the socket is backpressured while one is checked), asks the agent's entity for
 * each action, and writes replies, the events its agent perceives and perception pushes to a
 * bounded queue that the socket drains.
 *
 * <p>It follows its agent: attached to the agent's entity ({@link Agent.Attach}), it hears where
 * the agent goes however that happens (a join here or on another connection, a crossing, an idle
 * leave) and listens to that region's feed on this node, from the event by which the agent entered.
 * Each event of a region reaches the client once, in seq order, and only when the agent perceives
 * it ({@link FeedEvent#reaches}).
 *
 * <p>A client that lets the queue fill, a token that expires or is revoked, a client silent past
 * the idle timeout and a stopping server all end the same way: a last {@code error} message with
 * {@code "closing": true} and, where it applies, where to resume ({@code region_id}, {@code
 * resume_after_seq}), then a normal close.
 */
final class AgentConnection extends AbstractBehavior<AgentConnection.Command> {

  sealed interface Command {}

  record Opened(ActorRef<SocketPipe.Ack> ack) implements Command {}

  record Received(InboundFrame frame, ActorRef<SocketPipe.Ack> ack) implements Command {}

  record ClientGone() implements Command {}

  record ClientFailed(Throwable cause) implements Command {}

  /** The server is stopping: close, telling the client where to resume. */
  record GoAway() implements Command {}

  private record Limited(
      ClientMessage message, Optional<ApiError> refusal, ActorRef<SocketPipe.Ack> ack)
      implements Command {}

  private record Unreadable(
      JsonNode id, ApiError error, Optional<ApiError> refusal, ActorRef<SocketPipe.Ack> ack)
      implements Command {}

  private record Profiled(
      ClientMessage.Action action, Optional<AgentRecord> profile, Throwable failure)
      implements Command {}

  private record Answered(ClientMessage message, RegionReply reply) implements Command {}

  private record Pushed(RegionReply reply) implements Command {}

  private record Feed(FeedDelivery delivery) implements Command {}

  private record Notice(AgentNotice notice) implements Command {}

  private record Rechecked(Authentication result) implements Command {}

  private record StopHearing(String regionId) implements Command {}

  private enum Tick implements Command {
    DRAIN,
    PUSH,
    RECHECK,
    EXPIRED,
    STOP
  }

  /** What every connection of a node shares. */
  record Wiring(
      Services services,
      Gatekeeping gate,
      AgentCommands commands,
      AgentProfiles profiles,
      SocketSettings settings,
      SocketCounter counter) {}

  /** How many queues' worth of messages may wait in the backlog before the client is closed. */
  static final int BACKLOG_FACTOR = 4;

  private static final Duration DRAIN_INTERVAL = Duration.ofMillis(20);

  /** A message held back while the socket's queue is full; events keep their region and seq. */
  private record Held(String json, String region, long seq) {}

  private final ArrayDeque<Held> backlog = new ArrayDeque<>();
  private final Wiring wiring;
  private final Principal principal;
  private final String agentId;
  private final Optional<String> header;
  private final Optional<String> query;
  private final BoundedSourceQueue<Message> out;
  private final TimerScheduler<Command> timers;
  private final ActorRef<FeedDelivery> feed;
  private final ActorRef<AgentNotice> notices;

  // The region the agent is in, as far as this connection knows, and every region it hears.
  private String region;
  private final Set<String> hearing = new HashSet<>();
  // The last seq given to the client, per region.
  private final Map<String, Long> given = new HashMap<>();
  // Per region heard: this socket has passed on every one of its events after this seq, in order.
  private final Map<String, Long> heardFrom = new HashMap<>();
  // Per region: the seqs this socket passed on before a resuming join replayed from earlier ones.
  private final Map<String, long[]> passedOn = new HashMap<>();
  // Joins sent and not answered: their answers, not the entity's notices, say where to listen,
  // and events that arrive meanwhile wait, since a resuming join replays them in order.
  private int joining;
  private final List<FeedEvent> held = new ArrayList<>();
  private int perceptionHz = 1;
  private boolean pushing;
  private Map<String, Object> lastPushed;
  private long lastHeardNanos = System.nanoTime();
  private boolean closing;

  static Behavior<Command> create(
      Wiring wiring,
      Principal principal,
      Optional<String> header,
      Optional<String> query,
      BoundedSourceQueue<Message> out) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new AgentConnection(context, timers, wiring, principal, header, query, out)));
  }

  private AgentConnection(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Wiring wiring,
      Principal principal,
      Optional<String> header,
      Optional<String> query,
      BoundedSourceQueue<Message> out) {
    super(context);
    this.wiring = wiring;
    this.principal = principal;
    this.agentId = principal.subject();
    this.header = header;
    this.query = query;
    this.out = out;
    this.timers = timers;
    this.feed = context.messageAdapter(FeedDelivery.class, Feed::new);
    this.notices = context.messageAdapter(AgentNotice.class, Notice::new);
    wiring.counter().opened(context.getSelf());
    wiring.commands().entity(agentId).tell(new Agent.Attach(notices));
    timers.startTimerWithFixedDelay(Tick.RECHECK, wiring.settings().recheck());
    Duration left = Duration.between(Instant.now(), principal.expiresAt());
    timers.startSingleTimer(Tick.EXPIRED, left.isNegative() ? Duration.ZERO : left);
    schedulePushes();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Opened.class, m -> acked(m.ack()))
        .onMessage(Received.class, this::onReceived)
        .onMessage(Limited.class, this::onLimited)
        .onMessage(Unreadable.class, this::onUnreadable)
        .onMessage(Profiled.class, this::onProfiled)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(Pushed.class, this::onPushed)
        .onMessage(Feed.class, this::onFeed)
        .onMessage(Notice.class, this::onNotice)
        .onMessage(StopHearing.class, this::onStopHearing)
        .onMessage(Rechecked.class, this::onRechecked)
        .onMessage(GoAway.class, m -> onGoAway())
        .onMessageEquals(Tick.PUSH, this::onPushTick)
        .onMessageEquals(Tick.DRAIN, this::onDrain)
        .onMessageEquals(Tick.RECHECK, this::onRecheckTick)
        .onMessageEquals(
            Tick.EXPIRED,
            () -> close(ApiError.of("unauthorized", "the token expired; connect with a new one")))
        .onMessageEquals(Tick.STOP, Behaviors::stopped)
        .onMessage(ClientGone.class, m -> Behaviors.stopped())
        .onMessage(ClientFailed.class, m -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  // --- what the client sends -------------------------------------------------------------------

  private Behavior<Command> acked(ActorRef<SocketPipe.Ack> ack) {
    ack.tell(SocketPipe.Ack.INSTANCE);
    return this;
  }

  private Behavior<Command> onReceived(Received m) {
    lastHeardNanos = System.nanoTime();
    if (closing) {
      return acked(m.ack());
    }
    Optional<ApiError> unreadable = InboundFrame.refusal(m.frame());
    if (unreadable.isPresent()) {
      sendError(null, unreadable.get());
      return acked(m.ack());
    }
    ClientMessage message;
    try {
      message = ClientMessages.parse(((InboundFrame.Text) m.frame()).text());
    } catch (ClientMessages.Unreadable bad) {
      // Counted like any message, so that a client cannot flood with garbage for free.
      getContext()
          .pipeToSelf(
              wiring.gate().limits().acquire(agentId, "websocket-messages"),
              (r, failure) ->
                  new Unreadable(
                      bad.id(), bad.error(), failure == null ? r : Optional.empty(), m.ack()));
      return this;
    }
    String kind =
        message instanceof ClientMessage.Action
            ? "actions"
            : message instanceof ClientMessage.Perceive ? "perception" : null;
    CompletionStage<Optional<ApiError>> refusal =
        wiring.gate().limits().acquire(agentId, "websocket-messages");
    if (kind != null) {
      refusal =
          refusal.thenCompose(
              r ->
                  r.isPresent()
                      ? CompletableFuture.completedFuture(r)
                      : wiring.gate().limits().acquire(agentId, kind));
    }
    getContext()
        .pipeToSelf(
            refusal,
            (r, failure) ->
                new Limited(
                    message,
                    failure != null
                        ? Optional.of(ApiError.of("unavailable", "rate limits could not be read"))
                        : r,
                    m.ack()));
    return this;
  }

  private Behavior<Command> onUnreadable(Unreadable m) {
    sendError(m.id(), m.refusal().orElse(m.error()));
    return acked(m.ack());
  }

  private Behavior<Command> onLimited(Limited m) {
    if (m.refusal().isPresent()) {
      sendError(m.message().id(), m.refusal().get());
      return acked(m.ack());
    }
    ClientMessage message = m.message();
    if (message instanceof ClientMessage.Ping p) {
      Map<String, Object> pong = SocketPipe.reply("pong", p.id());
      send(pong);
    } else if (message instanceof ClientMessage.Perceive) {
      ask(message, AgentCommands.perceive());
    } else if (message instanceof ClientMessage.Action action) {
      Optional<AuthFailure> refused =
          AgentCommands.permissionFor(action)
              .flatMap(p -> Authenticator.requirePermission(principal, p));
      if (refused.isPresent()) {
        sendError(
            action.id(), ApiError.of(refused.get().code().wireName(), refused.get().message()));
      } else {
        getContext()
            .pipeToSelf(
                wiring.profiles().find(agentId),
                (profile, failure) -> new Profiled(action, profile, failure));
      }
    }
    return acked(m.ack());
  }

  private Behavior<Command> onProfiled(Profiled m) {
    if (m.failure() != null) {
      sendError(m.action().id(), ApiError.of("unavailable", "the database did not answer"));
    } else if (m.profile().isEmpty()) {
      sendError(m.action().id(), ApiError.notFound("no agent " + agentId));
    } else {
      if (m.action() instanceof ClientMessage.Join) {
        joining++;
      }
      ask(m.action(), wiring.commands().command(m.action(), m.profile().get(), principal));
    }
    return this;
  }

  private void ask(ClientMessage message, Function<ActorRef<RegionReply>, Agent.Command> command) {
    getContext()
        .pipeToSelf(
            wiring.commands().ask(agentId, command),
            (reply, failure) ->
                new Answered(
                    message,
                    failure == null
                        ? reply
                        : RegionReply.Rejected.unavailable("the agent's region did not answer")));
  }

  private Behavior<Command> onAnswered(Answered m) {
    ClientMessage message = m.message();
    if (m.reply() instanceof RegionReply.Perceived p) {
      Map<String, Object> body = SocketPipe.reply("perception", message.id());
      body.putAll(WireShapes.perception(p.perception(), wiring.services().clock()));
      send(body);
    } else if (m.reply() instanceof RegionReply.Accepted a) {
      if (message instanceof ClientMessage.Join join) {
        joined(join, a);
      } else {
        Map<String, Object> ack = SocketPipe.reply("ack", message.id());
        ack.put("accepted_tick", a.acceptedTick());
        ack.put("seq", a.seq());
        ack.put("region_id", a.regionId());
        send(ack);
      }
    } else {
      sendError(message.id(), Replies.apiError(m.reply()));
    }
    if (message instanceof ClientMessage.Join && --joining == 0) {
      List<FeedEvent> waiting = List.copyOf(held);
      held.clear();
      waiting.forEach(this::give);
    }
    return this;
  }

  private void joined(ClientMessage.Join join, RegionReply.Accepted a) {
    Map<String, Object> welcome = SocketPipe.reply("welcome", join.id());
    welcome.put("agent_id", agentId);
    welcome.put("region_id", a.regionId());
    welcome.put("position", a.position());
    welcome.put("world_tick", a.acceptedTick());
    welcome.put("seq", a.seq());
    send(welcome);
    join.perceptionHz().ifPresent(hz -> perceptionHz = hz);
    lastPushed = null;
    schedulePushes();
    if (join.resumeAfterSeq().isPresent()) {
      // Replay what the client says it has not seen, less what this socket already passed on
      // (below); what arrived from the region during the join comes again with the replay.
      // Nothing after a.seq() existed when the region
      // answered: a larger seq from the client is taken as a.seq(), never passed on. The node's
      // subscription to the region would otherwise take it as where the region stands, and drop
      // every live event up to it for every client.
      long after = Math.min(join.resumeAfterSeq().getAsLong(), a.seq());
      Long from = heardFrom.get(a.regionId());
      if (a.regionId().equals(region)
          && hearing.contains(a.regionId())
          && from != null
          && after >= from) {
        // This socket has already passed on every event after `from` (heard for the agent before
        // the join came), and the client has everything up to `after`: a replay would repeat
        // those. Hearing goes on from where this socket is, skipping what the client has.
        given.merge(a.regionId(), after, Math::max);
        return;
      }
      long sentTo = given.getOrDefault(a.regionId(), -1L);
      if (a.regionId().equals(region)
          && hearing.contains(a.regionId())
          && from != null
          && sentTo > from) {
        // The client missed events from before this socket started hearing: they are replayed,
        // but what this socket already passed on is not given twice.
        passedOn.put(a.regionId(), new long[] {from + 1, sentTo});
      }
      held.removeIf(e -> e.event().regionId().equals(a.regionId()));
      heardFrom.remove(a.regionId());
      if (hearing.remove(a.regionId())) {
        wiring.services().subscriptions().leave(a.regionId(), feed);
      }
      enter(a.regionId(), after);
    } else if (!a.regionId().equals(region) || !hearing.contains(a.regionId())) {
      enter(a.regionId(), Math.max(0, a.seq() - 1));
    }
  }

  // --- where the agent is ----------------------------------------------------------------------

  private Behavior<Command> onNotice(Notice m) {
    AgentNotice notice = m.notice();
    if (notice instanceof AgentNotice.Attached at) {
      if (at.regionId() != null && !hearing.contains(at.regionId())) {
        enter(at.regionId(), -1);
      } else if (at.regionId() == null && region != null) {
        depart(region);
      }
    } else if (notice instanceof AgentNotice.Entered e) {
      // While this connection's own join is on its way, its answer decides (with its resume).
      if (joining == 0 && (!e.regionId().equals(region) || !hearing.contains(e.regionId()))) {
        enter(e.regionId(), e.seq() > 0 ? e.seq() - 1 : -1);
      }
    } else if (notice instanceof AgentNotice.Left l) {
      if (l.regionId().equals(region)) {
        depart(region);
      }
    } else if (notice instanceof AgentNotice.Addressed a) {
      // From another region: not in this connection's seq order of any region it hears.
      FeedEvent.of(a.message()).ifPresent(e -> sendEvent(e.event()));
    }
    return this;
  }

  /** Hears {@code regionId} from after {@code afterSeq}, or from now when it is negative. */
  private void enter(String regionId, long afterSeq) {
    if (region != null && !region.equals(regionId)) {
      depart(region);
    }
    region = regionId;
    timers.cancel(new StopHearing(regionId));
    if (afterSeq >= 0) {
      given.put(regionId, afterSeq);
      heardFrom.put(regionId, afterSeq);
      hearing.add(regionId);
      wiring.services().subscriptions().enter(regionId, feed, afterSeq);
    } else if (hearing.add(regionId)) {
      wiring.services().subscriptions().enter(regionId, feed);
    }
  }

  /** Stops hearing {@code regionId} once the events about the leaving have had time to arrive. */
  private void depart(String regionId) {
    if (regionId.equals(region)) {
      region = null;
    }
    timers.startSingleTimer(
        new StopHearing(regionId), new StopHearing(regionId), wiring.settings().leaveGrace());
  }

  private Behavior<Command> onStopHearing(StopHearing m) {
    if (!m.regionId().equals(region) && hearing.remove(m.regionId())) {
      heardFrom.remove(m.regionId());
      passedOn.remove(m.regionId());
      wiring.services().subscriptions().leave(m.regionId(), feed);
    }
    return this;
  }

  private Behavior<Command> onFeed(Feed m) {
    if (!(m.delivery() instanceof FeedDelivery.Event e)) {
      // Positions: perception pushes carry where others stand.
      return this;
    }
    if (joining > 0) {
      held.add(e.published());
    } else {
      give(e.published());
    }
    return this;
  }

  /** Gives the client {@code event} if it is next in its region and the agent perceives it. */
  private void give(FeedEvent event) {
    String from = event.event().regionId();
    if (!hearing.contains(from) || event.seq() <= given.getOrDefault(from, -1L)) {
      return;
    }
    // Heard "from now": the first event handed on is the first after where the feed started.
    heardFrom.putIfAbsent(from, event.seq() - 1);
    long[] sent = passedOn.get(from);
    if (sent != null && event.seq() >= sent[0]) {
      if (event.seq() <= sent[1]) {
        given.put(from, event.seq());
        return;
      }
      passedOn.remove(from);
    }
    if (event.reaches(agentId)) {
      sendEvent(event.event());
      if (closing) {
        // Not queued: the queue was full and the connection is closing. The resume_after_seq it
        // just told the client is the last event it did queue, so a resume replays this one.
        return;
      }
    }
    given.put(from, event.seq());
  }

  // --- perception pushes -----------------------------------------------------------------------

  private void schedulePushes() {
    if (perceptionHz > 0) {
      timers.startTimerWithFixedDelay(Tick.PUSH, Duration.ofMillis(1000 / perceptionHz));
    } else {
      timers.cancel(Tick.PUSH);
    }
  }

  private Behavior<Command> onPushTick() {
    // A push is skipped, not queued, while one is on its way or the client is behind: pushes may
    // be coalesced, events never.
    if (region != null
        && !pushing
        && !closing
        && backlog.isEmpty()
        && out.size() < wiring.settings().buffer() / 2) {
      pushing = true;
      getContext()
          .pipeToSelf(
              wiring.commands().ask(agentId, AgentCommands.perceive()),
              (reply, failure) ->
                  new Pushed(
                      failure == null ? reply : RegionReply.Rejected.unavailable("no answer")));
    }
    return this;
  }

  private Behavior<Command> onPushed(Pushed m) {
    pushing = false;
    if (m.reply() instanceof RegionReply.Perceived p) {
      Map<String, Object> perception =
          WireShapes.perception(p.perception(), wiring.services().clock());
      Map<String, Object> compared = new LinkedHashMap<>(perception);
      compared.remove("world_tick");
      if (!compared.equals(lastPushed)) {
        lastPushed = compared;
        Map<String, Object> body = SocketPipe.reply("perception", null);
        body.putAll(perception);
        send(body);
      }
    }
    return this;
  }

  // --- checks and closing ----------------------------------------------------------------------

  private Behavior<Command> onRecheckTick() {
    if (System.nanoTime() - lastHeardNanos > wiring.settings().idleTimeout().toNanos()) {
      return close(
          ApiError.of(
              "bad_request",
              "nothing received for "
                  + wiring.settings().idleTimeout().toSeconds()
                  + " s; send ping to keep a quiet connection open"));
    }
    // Attaching again is how an entity that restarted or moved learns of this connection.
    wiring.commands().entity(agentId).tell(new Agent.Attach(notices));
    getContext()
        .pipeToSelf(
            wiring.gate().authenticator().authenticate(header, query),
            (result, failure) -> new Rechecked(failure == null ? result : null));
    return this;
  }

  private Behavior<Command> onRechecked(Rechecked m) {
    if (m.result() instanceof AuthFailure f) {
      return close(ApiError.of(f.code().wireName(), f.message()));
    }
    return this;
  }

  private Behavior<Command> onGoAway() {
    return close(ApiError.of("unavailable", "this server is stopping; connect again and resume"));
  }

  /** Sends a last error, where to resume, and closes once the client has it. */
  private Behavior<Command> close(ApiError error) {
    if (closing) {
      return this;
    }
    Map<String, Object> last = SocketPipe.reply("error", null);
    last.put("error", error.body());
    last.put("closing", true);
    if (region != null && given.containsKey(region)) {
      // Everything before the first event still held back has been queued for the client.
      long resume = given.get(region);
      for (Held h : backlog) {
        if (region.equals(h.region())) {
          resume = h.seq() - 1;
          break;
        }
      }
      last.put("region_id", region);
      last.put("resume_after_seq", resume);
    }
    backlog.clear();
    timers.cancel(Tick.DRAIN);
    // The queue keeps one place free for this message (see send).
    SocketPipe.offer(out, WireJson.write(last));
    closing = true;
    SocketPipe.complete(out);
    // The socket ends once the client has read it; a client that never does is cut off.
    timers.startSingleTimer(Tick.STOP, wiring.settings().leaveGrace());
    return this;
  }

  private Behavior<Command> onStop() {
    SocketPipe.complete(out);
    wiring.commands().entity(agentId).tell(new Agent.Detach(notices));
    wiring.counter().closed(getContext().getSelf());
    return this;
  }

  // --- what the client receives ----------------------------------------------------------------

  private void sendEvent(WireEvent event) {
    if ("prompt".equals(event.type())) {
      // A spectator's suggestion reaches its agent as the contract's own message.
      Map<String, Object> m = SocketPipe.reply("prompt", null);
      m.put("spectator_id", event.content().get("spectator_id"));
      m.put("spectator_name", event.content().get("spectator_name"));
      m.put("text", event.content().get("text"));
      m.put("seq", event.seq());
      m.put("region_id", event.regionId());
      send(m, event.regionId(), event.seq());
      return;
    }
    Map<String, Object> m = SocketPipe.reply("event", null);
    m.put("event", event);
    send(m, event.regionId(), event.seq());
  }

  private void sendError(JsonNode id, ApiError error) {
    Map<String, Object> m = SocketPipe.reply("error", id);
    m.put("error", error.body());
    send(m);
  }

  /**
   * Queues a message for the client. The last place in the queue is kept for {@link #close}'s
   * message: a client that has let the rest fill is too far behind, and is closed.
   */
  private void send(Map<String, Object> message) {
    send(message, null, -1);
  }

  /**
   * Queues a message for the client, or, while the socket's queue is full (its last place is kept
   * for {@link #close}'s message), holds it in a backlog that is moved to the queue as the client
   * reads, so that a burst (a replay on resume) reaches a client that keeps reading. A client that
   * lets the backlog pass {@link #BACKLOG_FACTOR} times the queue's size is too far behind, and is
   * closed.
   */
  private void send(Map<String, Object> message, String eventRegion, long seq) {
    if (closing) {
      return;
    }
    Held held = new Held(WireJson.write(message), eventRegion, seq);
    if (backlog.isEmpty() && out.size() < wiring.settings().buffer() - 1) {
      SocketPipe.offer(out, held.json());
      return;
    }
    backlog.add(held);
    if (backlog.size() > BACKLOG_FACTOR * wiring.settings().buffer()) {
      close(
          ApiError.of(
              "unavailable",
              "this connection fell "
                  + (out.size() + backlog.size())
                  + " messages behind; connect again and join with resume_after_seq"));
    } else if (backlog.size() == 1) {
      timers.startTimerWithFixedDelay(Tick.DRAIN, DRAIN_INTERVAL);
    }
  }

  private Behavior<Command> onDrain() {
    while (!backlog.isEmpty() && out.size() < wiring.settings().buffer() - 1) {
      SocketPipe.offer(out, backlog.poll().json());
    }
    if (backlog.isEmpty()) {
      timers.cancel(Tick.DRAIN);
    }
    return this;
  }
}
