package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.persistence.SpectatorSessions;
import dev.clawbots.region.Agent;
import dev.clawbots.region.AgentAction;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BoundedSourceQueue;

/**
 * One spectator WebSocket. It follows an agent (the camera centred on it, going with it across
 * region crossings) or watches a region (a centre and radius, the whole region by default), and
 * sends frames built from its region's {@link RegionScene}: a full frame first, then deltas with
 * only what changed, at most as often as the scene changes (10 times a second). While the client is
 * behind, frames are coalesced rather than queued: the newest one is held, with the events of those
 * skipped (up to {@link #MAX_HELD_EVENTS}), and sent as one delta once the client has read enough,
 * whether or not the region changes again. With a spectator token it may prompt agents.
 */
final class SpectatorConnection extends AbstractBehavior<SpectatorConnection.Command> {

  /** How far a following camera sees by default, as an agent's perception does. */
  static final double FOLLOW_RADIUS = 64;

  /** The longest prompt, in UTF-8 bytes. */
  static final int MAX_PROMPT_BYTES = 512;

  /** The most events held for a client that is behind; older ones are dropped first. */
  static final int MAX_HELD_EVENTS = 256;

  /** How often a client that is behind is looked at again for the frame it is owed. */
  static final Duration CATCH_UP_INTERVAL = RegionScene.FRAME_INTERVAL;

  sealed interface Command {}

  record Opened(ActorRef<SocketPipe.Ack> ack) implements Command {}

  record Received(InboundFrame frame, ActorRef<SocketPipe.Ack> ack) implements Command {}

  record ClientGone() implements Command {}

  record ClientFailed(Throwable cause) implements Command {}

  private record Framed(RegionScene.Frame frame) implements Command {}

  private record Located(JsonNode id, String agentId, Agent.Whereabouts where, Throwable failure)
      implements Command {}

  private record Checked(
      JsonNode id,
      String agentId,
      String text,
      Optional<ApiError> refusal,
      Optional<AgentRecord> agent,
      Throwable failure)
      implements Command {}

  private record Prompted(JsonNode id, RegionReply reply) implements Command {}

  private record SessionStarted(long sessionId, int camera) implements Command {}

  private enum CatchUp implements Command {
    INSTANCE
  }

  /** What every spectator connection of a node shares. */
  record Wiring(
      Services services,
      Gatekeeping gate,
      AgentCommands commands,
      AgentProfiles profiles,
      Scenes scenes,
      SpectatorSessions sessions,
      SocketSettings settings,
      SpectatorCounter counter) {}

  private final Wiring wiring;
  private final Optional<Principal> principal;
  private final BoundedSourceQueue<Message> out;
  private final ActorRef<RegionScene.Frame> frames;
  private final TimerScheduler<Command> timers;

  // The camera: a region watched (and a followed agent), its centre and radius (null: all).
  private String region;
  private String following;
  private Vec3 center;
  private Double radius;
  private int camera;
  private Long sessionId;
  // What the client has: the agents of the last frame sent, by id, or null before a full frame.
  private Map<String, RegionScene.Figure> sent;
  // The number of the scene's frame the client has, as far as deltas go.
  private long sentFrame = -1;
  // While the client is behind: the newest frame it has not had, and the events of every frame
  // skipped since it was last sent one, oldest first.
  private RegionScene.Frame owed;
  private final Deque<WireEvent> heldEvents = new ArrayDeque<>();

  static Behavior<Command> create(
      Wiring wiring, Optional<Principal> principal, BoundedSourceQueue<Message> out) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new SpectatorConnection(context, timers, wiring, principal, out)));
  }

  private SpectatorConnection(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Wiring wiring,
      Optional<Principal> principal,
      BoundedSourceQueue<Message> out) {
    super(context);
    this.wiring = wiring;
    this.principal = principal;
    this.out = out;
    this.timers = timers;
    this.frames = context.messageAdapter(RegionScene.Frame.class, Framed::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Opened.class, m -> acked(m.ack()))
        .onMessage(Received.class, this::onReceived)
        .onMessage(Framed.class, m -> onFrame(m.frame()))
        .onMessage(Located.class, this::onLocated)
        .onMessage(Checked.class, this::onChecked)
        .onMessage(Prompted.class, this::onPrompted)
        .onMessage(SessionStarted.class, this::onSessionStarted)
        .onMessageEquals(CatchUp.INSTANCE, this::onCatchUp)
        .onMessage(ClientGone.class, m -> Behaviors.stopped())
        .onMessage(ClientFailed.class, m -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> acked(ActorRef<SocketPipe.Ack> ack) {
    ack.tell(SocketPipe.Ack.INSTANCE);
    return this;
  }

  // --- what the client sends -------------------------------------------------------------------

  private Behavior<Command> onReceived(Received m) {
    Optional<ApiError> unreadable = InboundFrame.refusal(m.frame());
    if (unreadable.isPresent()) {
      sendError(null, unreadable.get());
      return acked(m.ack());
    }
    JsonNode id = null;
    try {
      RequestJson json = RequestJson.parse(((InboundFrame.Text) m.frame()).text());
      id = json.raw("id");
      if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
        id = null;
        throw RequestJson.bad("id must be a string or a whole number");
      }
      String type = json.text("type", 32);
      switch (type) {
        case "follow" -> follow(id, json.text("agent_id", 64));
        case "watch" -> watch(json);
        case "prompt" -> prompt(id, json.text("agent_id", 64), json.text("text", MAX_PROMPT_BYTES));
        case "ping" -> send(SocketPipe.reply("pong", id));
        default ->
            throw RequestJson.bad(
                "unknown type '" + type + "'; one of follow, watch, prompt, ping");
      }
    } catch (ApiError.Failure bad) {
      sendError(id, bad.error());
    }
    return acked(m.ack());
  }

  private void follow(JsonNode id, String agentId) {
    // Registered agents only: asking the entity of any id would start one for it.
    getContext()
        .pipeToSelf(
            wiring
                .profiles()
                .find(agentId)
                .thenCompose(
                    profile ->
                        profile.isEmpty()
                            ? CompletableFuture.completedFuture(
                                new Agent.Whereabouts(agentId, null))
                            : AskPattern.<Agent.Command, Agent.Whereabouts>ask(
                                wiring.commands().entity(agentId),
                                Agent.Where::new,
                                wiring.commands().askTimeout(),
                                getContext().getSystem().scheduler())),
            (where, failure) -> new Located(id, agentId, where, failure));
  }

  private Behavior<Command> onLocated(Located m) {
    if (m.failure() != null) {
      sendError(m.id(), ApiError.of("unavailable", "the agent's whereabouts are unknown"));
    } else if (m.where().regionId() == null) {
      sendError(m.id(), ApiError.notFound("agent " + m.agentId() + " is in no region"));
    } else {
      point(m.where().regionId(), m.agentId(), null, FOLLOW_RADIUS);
      startSession(SpectatorSessions.Target.AGENT, m.agentId());
    }
    return this;
  }

  private void watch(RequestJson json) {
    String regionId = json.text("region_id", 64);
    if (wiring.services().map().spec(regionId).isEmpty()) {
      throw new ApiError.Failure(ApiError.notFound("no region " + regionId));
    }
    Optional<Vec3> at = json.optionalPosition("center");
    OptionalDouble r = json.optionalNumber("radius");
    if (r.isPresent() && !(r.getAsDouble() > 0)) {
      throw RequestJson.bad("radius must be a positive number of metres");
    }
    point(regionId, null, at.orElse(null), r.isPresent() ? r.getAsDouble() : null);
    startSession(SpectatorSessions.Target.REGION, regionId);
  }

  /**
   * Points the camera. The region's scene answers a watch with a full frame at once, so a camera
   * turned within the region it watched gets one too, without waiting for the region to change.
   */
  private void point(String regionId, String agentId, Vec3 at, Double r) {
    if (region != null && !regionId.equals(region)) {
      wiring.scenes().of(region).tell(new RegionScene.Unwatch(frames));
    }
    region = regionId;
    wiring.scenes().of(regionId).tell(new RegionScene.Watch(frames));
    following = agentId;
    center = at;
    radius = r;
    sent = null;
    forgetOwed();
    camera++;
  }

  private void prompt(JsonNode id, String agentId, String text) {
    if (principal.isEmpty()) {
      throw new ApiError.Failure(
          ApiError.of("unauthorized", "prompting needs a spectator token (POST /v1/spectators)"));
    }
    String spectatorId = principal.get().subject();
    getContext()
        .pipeToSelf(
            wiring
                .gate()
                .limits()
                .acquire(spectatorId, "prompts")
                // Read fresh, not from the profile cache: an agent may opt out at any time.
                .thenCombine(wiring.services().agents().find(agentId), Map::entry),
            (checked, failure) ->
                failure != null
                    ? new Checked(id, agentId, text, Optional.empty(), Optional.empty(), failure)
                    : new Checked(id, agentId, text, checked.getKey(), checked.getValue(), null));
  }

  private Behavior<Command> onChecked(Checked m) {
    if (m.failure() != null) {
      sendError(m.id(), ApiError.of("unavailable", "the database did not answer"));
    } else if (m.refusal().isPresent()) {
      sendError(m.id(), m.refusal().get());
    } else if (m.agent().isEmpty()) {
      sendError(m.id(), ApiError.notFound("no agent " + m.agentId()));
    } else if (!m.agent().get().promptsAllowed()) {
      sendError(m.id(), ApiError.of("forbidden", "this agent does not take prompts"));
    } else {
      Principal p = principal.orElseThrow();
      getContext()
          .pipeToSelf(
              wiring
                  .commands()
                  .ask(
                      m.agentId(),
                      r ->
                          new Agent.Act(
                              new AgentAction.Prompt(p.subject(), p.name(), m.text()), null, r)),
              (reply, failure) ->
                  new Prompted(
                      m.id(),
                      failure == null
                          ? reply
                          : RegionReply.Rejected.unavailable("the agent's region did not answer")));
    }
    return this;
  }

  private Behavior<Command> onPrompted(Prompted m) {
    if (m.reply() instanceof RegionReply.Accepted a) {
      Map<String, Object> ack = SocketPipe.reply("ack", m.id());
      ack.put("accepted_tick", a.acceptedTick());
      ack.put("seq", a.seq());
      ack.put("region_id", a.regionId());
      send(ack);
    } else {
      sendError(m.id(), Replies.apiError(m.reply()));
    }
    return this;
  }

  // --- sessions ----------------------------------------------------------------------------------

  private void startSession(SpectatorSessions.Target target, String targetId) {
    endSession();
    int forCamera = camera;
    getContext()
        .pipeToSelf(
            wiring
                .sessions()
                .start(
                    principal.map(Principal::subject).orElse(null),
                    principal.map(Principal::name).orElse(null),
                    target,
                    targetId),
            (id, failure) -> new SessionStarted(failure == null ? id : -1, forCamera));
  }

  private Behavior<Command> onSessionStarted(SessionStarted m) {
    if (m.sessionId() < 0) {
      getContext().getLog().warn("a spectator session could not be recorded");
    } else if (m.camera() != camera) {
      // Already turned elsewhere.
      wiring.sessions().end(m.sessionId());
    } else {
      sessionId = m.sessionId();
      wiring.counter().watching(getContext().getSelf());
    }
    return this;
  }

  private void endSession() {
    if (sessionId != null) {
      wiring.sessions().end(sessionId);
      sessionId = null;
      wiring.counter().idle(getContext().getSelf());
    }
  }

  private Behavior<Command> onStop() {
    endSession();
    if (region != null) {
      wiring.scenes().of(region).tell(new RegionScene.Unwatch(frames));
    }
    SocketPipe.complete(out);
    return this;
  }

  // --- frames ------------------------------------------------------------------------------------

  private Behavior<Command> onFrame(RegionScene.Frame frame) {
    if (!frame.regionId().equals(region)) {
      return this;
    }
    if (behind()) {
      owe(frame);
      return this;
    }
    if (owed != null) {
      // Caught up since the last look: this frame is newer than the one owed, and replaces it.
      owe(frame);
      return payOwed();
    }
    show(frame, frame.events());
    return this;
  }

  /** The client has not read enough of what it was sent to be sent more. */
  private boolean behind() {
    return out.size() >= wiring.settings().buffer() / 2;
  }

  /** Holds the newest frame for a client that is behind, and keeps the events of the one before. */
  private void owe(RegionScene.Frame frame) {
    if (owed == null) {
      timers.startTimerWithFixedDelay(CatchUp.INSTANCE, CATCH_UP_INTERVAL);
    } else {
      owed.events().forEach(this::holdEvent);
    }
    owed = frame;
  }

  private void holdEvent(WireEvent e) {
    if (heldEvents.size() == MAX_HELD_EVENTS) {
      heldEvents.removeFirst();
    }
    heldEvents.addLast(e);
  }

  private Behavior<Command> onCatchUp() {
    return owed == null || behind() ? this : payOwed();
  }

  /** Sends the frame owed, with the events of every frame skipped before it. */
  private Behavior<Command> payOwed() {
    RegionScene.Frame frame = owed;
    owed.events().forEach(this::holdEvent);
    List<WireEvent> events = List.copyOf(heldEvents);
    forgetOwed();
    show(frame, events);
    return this;
  }

  private void forgetOwed() {
    if (owed != null) {
      timers.cancel(CatchUp.INSTANCE);
    }
    owed = null;
    heldEvents.clear();
  }

  /**
   * Sends the client what changed in its view since the frame it has, given the client keeps up.
   */
  private void show(RegionScene.Frame frame, List<WireEvent> happened) {
    if (following == null
        && radius == null
        && center == null
        && sent != null
        && frame.shared() != null
        && sentFrame == frame.number() - 1) {
      // Watching the whole region and up to date: the scene's delta, serialized once for all.
      SocketPipe.offer(out, frame.shared());
      sent = frame.agents();
      sentFrame = frame.number();
      return;
    }
    if (following != null && !frame.agents().containsKey(following)) {
      Optional<String> went = crossedTo(happened, following);
      if (went.isPresent()) {
        // The camera goes with the agent; the new region's scene starts with a full frame.
        point(went.get(), following, null, radius);
        return;
      }
    }
    Vec3 focus = focus(frame);
    Map<String, RegionScene.Figure> visible = new LinkedHashMap<>();
    for (RegionScene.Figure f : frame.agents().values()) {
      if (radius == null || focus == null || distance(f.position(), focus) <= radius) {
        visible.put(f.agentId(), f);
      }
    }
    List<WireEvent> events = new ArrayList<>();
    for (WireEvent e : happened) {
      if (inView(e, visible)) {
        events.add(e);
      }
    }
    boolean full = sent == null;
    List<Map<String, Object>> agents = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (RegionScene.Figure f : visible.values()) {
      if (full || !f.equals(sent.get(f.agentId()))) {
        agents.add(figure(f));
      }
    }
    if (!full) {
      for (String id : sent.keySet()) {
        if (!visible.containsKey(id)) {
          removed.add(id);
        }
      }
      if (agents.isEmpty() && removed.isEmpty() && events.isEmpty() && following == null) {
        sentFrame = frame.number();
        return;
      }
    }
    Map<String, Object> cam = new LinkedHashMap<>();
    cam.put("mode", following != null ? "follow" : "watch");
    if (following != null) {
      cam.put("agent_id", following);
    }
    cam.put("center", focus != null ? focus : WHOLE_REGION_CENTER);
    cam.put("radius", radius != null ? radius : WHOLE_REGION_RADIUS);
    send(frameMessage(full, frame, cam, agents, removed, events));
    sent = new HashMap<>(visible);
    sentFrame = frame.number();
  }

  /** Where a camera watching a whole region looks: its middle, and half its diagonal around it. */
  static final Vec3 WHOLE_REGION_CENTER = new Vec3(128, 128, 0);

  static final double WHOLE_REGION_RADIUS = 182.0;

  /** A frame message; a delta names the agents that left the view in {@code removed}. */
  static Map<String, Object> frameMessage(
      boolean full,
      RegionScene.Frame frame,
      Map<String, Object> camera,
      List<Map<String, Object>> agents,
      List<String> removed,
      List<WireEvent> events) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "frame");
    if (!full) {
      m.put("delta", true);
    }
    m.put("world_tick", frame.worldTick());
    m.put("region_id", frame.regionId());
    m.put("camera", camera);
    m.put("agents", agents);
    if (!full) {
      m.put("removed", removed);
    }
    m.put("events", events);
    return m;
  }

  private Vec3 focus(RegionScene.Frame frame) {
    if (following != null) {
      RegionScene.Figure f = frame.agents().get(following);
      if (f != null) {
        center = f.position();
      }
    }
    return center;
  }

  private static Optional<String> crossedTo(List<WireEvent> events, String agentId) {
    for (WireEvent e : events) {
      if (agentId.equals(e.sourceAgent())
          && "region_crossed".equals(e.type())
          && "out".equals(e.content().get("direction"))) {
        return Optional.of((String) e.content().get("to_region"));
      }
    }
    return Optional.empty();
  }

  /** An event is in view when an agent it is about is, now or in the last frame sent. */
  private boolean inView(WireEvent e, Map<String, RegionScene.Figure> visible) {
    if (radius == null) {
      return true;
    }
    for (String id : new String[] {e.sourceAgent(), e.targetAgent()}) {
      if (id != null && (visible.containsKey(id) || (sent != null && sent.containsKey(id)))) {
        return true;
      }
    }
    return false;
  }

  static Map<String, Object> figure(RegionScene.Figure f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("agent_id", f.agentId());
    m.put("name", f.name());
    m.put("position", f.position());
    if (f.movingTo() != null) {
      m.put("moving_to", f.movingTo());
    }
    return m;
  }

  private static double distance(Vec3 a, Vec3 b) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y());
  }

  // --- what the client receives ----------------------------------------------------------------

  private void sendError(JsonNode id, ApiError error) {
    Map<String, Object> m = SocketPipe.reply("error", id);
    m.put("error", error.body());
    send(m);
  }

  private void send(Map<String, Object> message) {
    // A spectator that lets the queue fill loses messages rather than the server's memory; frames
    // are skipped well before that.
    SocketPipe.offer(out, WireJson.write(message));
  }
}
