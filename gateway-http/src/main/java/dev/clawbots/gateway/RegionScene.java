package dev.clawbots.gateway;

import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.persistence.FeedDelivery;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.region.WirePositions;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * What one region looks like to this node's spectators: who is where, walking where, and what
 * happened lately. One per region and node, shared by every spectator of the region here, and built
 * from the feed the node receives anyway, so a spectator costs the region nothing: the region is
 * asked once, when the first spectator comes, for where everyone stands. Then {@link
 * #FRAME_INTERVAL} (10 times a second) it hands its spectators a {@link Frame} when something
 * changed.
 */
final class RegionScene extends AbstractBehavior<RegionScene.Command> {

  static final Duration FRAME_INTERVAL = Duration.ofMillis(100);

  /** One agent as spectators see it; {@code movingTo} is null while it stands. */
  record Figure(String agentId, String name, Vec3 position, Vec3 movingTo) {}

  /**
   * The region now: every agent in it (an immutable map, shared by every spectator) and the events
   * since the previous frame, in seq order. {@code number} counts the scene's frames; {@code
   * shared} is the delta from frame {@code number - 1} for a camera on the whole region, written
   * once for every such spectator (null on a newcomer's first frame).
   */
  record Frame(
      String regionId,
      long worldTick,
      Map<String, Figure> agents,
      List<WireEvent> events,
      long number,
      String shared) {}

  sealed interface Command {}

  record Watch(ActorRef<Frame> spectator) implements Command {}

  record Unwatch(ActorRef<Frame> spectator) implements Command {}

  private record Viewed(RegionReply reply, Throwable failure) implements Command {}

  private record Feed(FeedDelivery delivery) implements Command {}

  private record Named(String agentId, Optional<AgentRecord> profile) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private final String regionId;
  private final Services services;
  private final AgentProfiles profiles;
  private final TimerScheduler<Command> timers;
  private final ActorRef<FeedDelivery> feed;
  private final Set<ActorRef<Frame>> spectators = new HashSet<>();
  private final Map<String, Figure> agents = new HashMap<>();
  private final List<WireEvent> events = new ArrayList<>();
  private long worldTick;
  // The agents as the last frame showed them, and how many frames there have been.
  private Map<String, Figure> published = Map.of();
  private long number;
  private boolean live;
  private boolean asking;
  private boolean changed;

  static Behavior<Command> create(String regionId, Services services, AgentProfiles profiles) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new RegionScene(context, timers, regionId, services, profiles)));
  }

  private RegionScene(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String regionId,
      Services services,
      AgentProfiles profiles) {
    super(context);
    this.regionId = regionId;
    this.services = services;
    this.profiles = profiles;
    this.timers = timers;
    this.feed = context.messageAdapter(FeedDelivery.class, Feed::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Watch.class, this::onWatch)
        .onMessage(Unwatch.class, m -> onUnwatch(m.spectator()))
        .onMessage(Viewed.class, this::onViewed)
        .onMessage(Feed.class, this::onFeed)
        .onMessage(Named.class, this::onNamed)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  private Behavior<Command> onWatch(Watch m) {
    if (spectators.add(m.spectator())) {
      getContext().watchWith(m.spectator(), new Unwatch(m.spectator()));
    }
    if (live) {
      // A newcomer gets the whole picture at once, without waiting for a change.
      m.spectator().tell(new Frame(regionId, worldTick, published, List.of(), number, null));
    } else if (!asking) {
      asking = true;
      getContext()
          .pipeToSelf(services.regions().ask(regionId, RegionCommand.View::new), Viewed::new);
    }
    return this;
  }

  private Behavior<Command> onUnwatch(ActorRef<Frame> spectator) {
    if (spectators.remove(spectator)) {
      getContext().unwatch(spectator);
    }
    if (spectators.isEmpty() && live) {
      // Nobody watches here: stop hearing the region until someone does again.
      services.subscriptions().leave(regionId, feed);
      timers.cancel(Tick.INSTANCE);
      live = false;
      agents.clear();
      events.clear();
    }
    return this;
  }

  private Behavior<Command> onViewed(Viewed m) {
    asking = false;
    if (spectators.isEmpty()) {
      return this;
    }
    if (!(m.reply() instanceof RegionReply.View view)) {
      // Asked again on the next watch, or by the next spectator.
      getContext()
          .getLog()
          .warn("region {} did not show itself to spectators: {}", regionId, m.failure());
      timers.startSingleTimer(Tick.INSTANCE, Duration.ofSeconds(1));
      return this;
    }
    agents.clear();
    for (RegionReply.AgentView a : view.agents()) {
      agents.put(a.agentId(), new Figure(a.agentId(), a.name(), a.position(), a.movingTo()));
    }
    worldTick = view.worldTick();
    live = true;
    // From exactly the seq the picture shows: every later event changes it once.
    services.subscriptions().enterWithPositions(regionId, feed, view.seq());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, FRAME_INTERVAL);
    published = Map.copyOf(agents);
    number++;
    Frame first = new Frame(regionId, worldTick, published, List.of(), number, null);
    spectators.forEach(s -> s.tell(first));
    return this;
  }

  private Behavior<Command> onTick() {
    if (!live) {
      if (!spectators.isEmpty() && !asking) {
        asking = true;
        getContext()
            .pipeToSelf(services.regions().ask(regionId, RegionCommand.View::new), Viewed::new);
      }
      return this;
    }
    if (changed || !events.isEmpty()) {
      Map<String, Figure> now = Map.copyOf(agents);
      List<WireEvent> happened = List.copyOf(events);
      Frame frame =
          new Frame(
              regionId, worldTick, now, happened, number + 1, wholeRegionDelta(now, happened));
      published = now;
      number++;
      events.clear();
      changed = false;
      spectators.forEach(s -> s.tell(frame));
    }
    return this;
  }

  private Behavior<Command> onFeed(Feed m) {
    if (!live) {
      return this;
    }
    if (m.delivery() instanceof FeedDelivery.Moved moved) {
      WirePositions p = moved.positions();
      worldTick = Math.max(worldTick, p.worldTick());
      for (WirePositions.Moved a : p.agents()) {
        agents.computeIfPresent(
            a.agentId(), (id, f) -> new Figure(id, f.name(), a.position(), f.movingTo()));
      }
      changed = true;
    } else if (m.delivery() instanceof FeedDelivery.Event e) {
      apply(e.event());
    }
    return this;
  }

  /** How an event changes the picture; every visible one but private chat is also shown. */
  private void apply(WireEvent e) {
    worldTick = Math.max(worldTick, e.worldTick());
    String id = e.sourceAgent();
    Map<String, Object> c = e.content();
    switch (e.type()) {
      case "agent_joined" ->
          agents.put(id, new Figure(id, (String) c.get("name"), position(c.get("position")), null));
      case "agent_left" -> agents.remove(id);
      case "move_started" ->
          agents.computeIfPresent(
              id, (k, f) -> new Figure(k, f.name(), f.position(), position(c.get("to"))));
      case "arrived" ->
          agents.computeIfPresent(
              id, (k, f) -> new Figure(k, f.name(), position(c.get("position")), null));
      case "region_crossed" -> {
        if ("out".equals(c.get("direction"))) {
          agents.remove(id);
        } else {
          agents.put(
              id, new Figure(id, id, position(c.get("entry")), position(c.get("moving_to"))));
          // Crossings do not carry names: the registry does.
          getContext()
              .pipeToSelf(
                  profiles.find(id),
                  (p, failure) -> new Named(id, p == null ? Optional.empty() : p));
        }
      }
      default -> {}
    }
    changed = true;
    if (!Boolean.TRUE.equals(c.get("private"))) {
      events.add(e);
    }
  }

  /** The delta from the last frame published to {@code now}, as a whole-region camera sees it. */
  private String wholeRegionDelta(Map<String, Figure> now, List<WireEvent> happened) {
    List<Map<String, Object>> changed = new ArrayList<>();
    for (Figure f : now.values()) {
      if (!f.equals(published.get(f.agentId()))) {
        changed.add(SpectatorConnection.figure(f));
      }
    }
    List<String> removed = new ArrayList<>();
    for (String id : published.keySet()) {
      if (!now.containsKey(id)) {
        removed.add(id);
      }
    }
    Map<String, Object> camera = new LinkedHashMap<>();
    camera.put("mode", "watch");
    camera.put("center", SpectatorConnection.WHOLE_REGION_CENTER);
    camera.put("radius", SpectatorConnection.WHOLE_REGION_RADIUS);
    return WireJson.write(
        SpectatorConnection.frameMessage(
            false,
            new Frame(regionId, worldTick, now, happened, number + 1, null),
            camera,
            changed,
            removed,
            happened));
  }

  private Behavior<Command> onNamed(Named m) {
    m.profile()
        .ifPresent(
            p ->
                agents.computeIfPresent(
                    m.agentId(), (k, f) -> new Figure(k, p.name(), f.position(), f.movingTo())));
    changed = true;
    return this;
  }

  /** A position from an event's content: a {@link Vec3}, or its JSON form read back from Redis. */
  static Vec3 position(Object value) {
    if (value == null || value instanceof Vec3) {
      return (Vec3) value;
    }
    if (value instanceof Map<?, ?> m) {
      return new Vec3(number(m.get("x")), number(m.get("y")), number(m.get("z")));
    }
    throw new IllegalArgumentException("not a position: " + value);
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }
}
