package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Crossing;
import dev.clawbots.world.Edge;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegionTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(TestWorld.config()));

  private TestWorld world;
  private TestProbe<RegionCommand> neighbour;
  private EventSourcedBehaviorTestKit<RegionCommand, RegionEvent, RegionState> region;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshRegion() {
    world = new TestWorld();
    neighbour = testKit.createTestProbe(RegionCommand.class);
    RecipientRef<RegionCommand> ref = neighbour.ref();
    region =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Region.create("main", world.environment(id -> ref), null),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  private CommandResultWithReply<RegionCommand, RegionEvent, RegionState, RegionReply> join(
      String id, double x, double y) {
    return ask(
        r -> new RegionCommand.Join(id, "Agent " + id, new Vec3(x, y, 21), Permission.DEFAULTS, r));
  }

  private CommandResultWithReply<RegionCommand, RegionEvent, RegionState, RegionReply> ask(
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<RegionReply>, RegionCommand>
          command) {
    return region.runCommand(command);
  }

  private RegionReply.Accepted accepted(
      CommandResultWithReply<RegionCommand, RegionEvent, RegionState, RegionReply> result) {
    return result.replyOfType(RegionReply.Accepted.class);
  }

  @Test
  void reportsItsStepsJournalWritesAndPopulationToItsMetrics() {
    join("a", 10, 20);
    join("b", 30, 20);
    accepted(ask(r -> new RegionCommand.Move("a", new Vec3(10, 60, 21), 5.0, r)));
    world.advance(100);
    region.runCommand(RegionTimers.Tick.INSTANCE);
    ask(r -> new RegionCommand.Leave("b", r));

    // Every decision and tick steps first; each persisted batch is timed, then counted.
    assertThat(world.metrics.steps).hasSizeGreaterThanOrEqualTo(5).allMatch(n -> n >= 0);
    assertThat(world.metrics.journaledEvents).containsExactly(1, 1, 1, 1, 1);
    assertThat(world.metrics.journalNanos).allMatch(n -> n > 0);
    // 0 first: a region reports its population as soon as it has recovered.
    assertThat(world.metrics.population).containsExactly(0, 1, 2, 2, 2, 1);
  }

  @Test
  void joinRepliesAfterItsEventIsJournaledWithTheTickAndSeq() {
    var result = join("a", 10, 20);

    RegionReply.Accepted ok = accepted(result);
    assertThat(ok.seq()).isEqualTo(1);
    assertThat(ok.acceptedTick()).isEqualTo(world.now());
    assertThat(ok.position()).isEqualTo(new Vec3(10, 20, 21));
    RegionEvent.AgentJoined joined = result.eventOfType(RegionEvent.AgentJoined.class);
    assertThat(joined.seq()).isEqualTo(1);
    assertThat(joined.tick()).isEqualTo(world.now());
    assertThat(joined.at()).isEqualTo(world.clock.instantOf(world.now()));
    assertThat(world.feed.events).containsExactly(joined);
  }

  @Test
  void joinWithoutAPositionJournalsWhereTheAgentAppeared() {
    var result = ask(r -> new RegionCommand.Join("a", "A", null, Permission.DEFAULTS, r));

    Vec3 at = result.eventOfType(RegionEvent.AgentJoined.class).position();
    assertThat(at).isNotNull();
    assertThat(accepted(result).position()).isEqualTo(at);
  }

  @Test
  void everyActionIsJournaledWithConsecutiveSeqs() {
    join("a", 10, 10);
    join("b", 12, 10);
    world.advance(5);
    long move =
        accepted(ask(r -> new RegionCommand.Move("a", new Vec3(20, 10, 21), null, r))).seq();
    var spoke = ask(r -> new RegionCommand.Speak("a", "hi", ChatRange.WHISPER, null, r));
    var emoted = ask(r -> new RegionCommand.Emote("b", "wave", r));
    var left = ask(r -> new RegionCommand.Leave("b", r));

    assertThat(move).isEqualTo(3);
    assertThat(accepted(spoke).seq()).isEqualTo(4);
    assertThat(spoke.eventOfType(RegionEvent.Spoke.class).hearers()).containsExactly("a", "b");
    assertThat(emoted.eventOfType(RegionEvent.Emoted.class).witnesses()).contains("a", "b");
    RegionEvent.AgentLeft leftEvent = left.eventOfType(RegionEvent.AgentLeft.class);
    assertThat(leftEvent.seq()).isEqualTo(6);
    assertThat(leftEvent.reason()).isEqualTo("left");
    assertThat(leftEvent.position()).isEqualTo(new Vec3(12, 10, 21));
    assertThat(world.feed.events)
        .extracting(RegionEvent::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void badCommandsAreRejectedWithTheirCodeAndJournalNothing() {
    join("a", 10, 10);
    ask(r -> new RegionCommand.Join("mute", "Mute", new Vec3(1, 1, 0), Set.of(Permission.MOVE), r));

    assertRejected(
        ask(r -> new RegionCommand.Join("a", "A", null, Permission.DEFAULTS, r)),
        "conflict",
        "ALREADY_IN_REGION");
    assertRejected(
        ask(r -> new RegionCommand.Move("a", new Vec3(Double.NaN, 1, 1), null, r)),
        "bad_request",
        "NOT_A_NUMBER");
    assertRejected(
        ask(r -> new RegionCommand.Move("a", new Vec3(1, 1, 1), 11.0, r)),
        "bad_request",
        "SPEED_OUT_OF_RANGE");
    assertRejected(
        ask(r -> new RegionCommand.Speak("a", "x".repeat(1025), null, null, r)),
        "bad_request",
        "TEXT_TOO_LONG");
    assertRejected(
        ask(r -> new RegionCommand.Emote("a", "jump", r)), "bad_request", "UNKNOWN_EMOTE");
    assertRejected(
        ask(r -> new RegionCommand.Speak("mute", "hello", null, null, r)),
        "forbidden",
        "PERMISSION_DENIED");
    assertRejected(ask(r -> new RegionCommand.Leave("ghost", r)), "not_found", "NOT_IN_REGION");
    assertRejected(ask(r -> new RegionCommand.Perceive("ghost", r)), "not_found", "NOT_IN_REGION");
    assertRejected(
        ask(r -> new RegionCommand.Join(null, null, null, null, r)), "bad_request", "INVALID_ID");
    assertRejected(
        ask(r -> new RegionCommand.AcceptCrossing("x#1", "harbor", null, r)),
        "bad_request",
        "INVALID_ID");

    // The region is still healthy after all of that.
    assertThat(accepted(join("c", 3, 3)).seq()).isEqualTo(3);
  }

  private void assertRejected(
      CommandResultWithReply<RegionCommand, RegionEvent, RegionState, RegionReply> result,
      String code,
      String reason) {
    RegionReply.Rejected rejected = result.replyOfType(RegionReply.Rejected.class);
    assertThat(rejected.code()).isEqualTo(code);
    assertThat(rejected.reason()).isEqualTo(reason);
    assertThat(rejected.message()).isNotBlank();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void ticksMoveWalkersAndJournalTheirArrivalOnly() {
    join("a", 10, 10);
    ask(r -> new RegionCommand.Move("a", new Vec3(13.2, 10, 21), null, r));
    world.feed.events.clear();

    world.advance(5);
    var quiet = region.runCommand(RegionTimers.Tick.INSTANCE);
    assertThat(quiet.hasNoEvents()).isTrue();
    assertThat(world.feed.moved).last().extracting(p -> p.position().x()).isEqualTo(11.6);

    world.advance(5);
    var arrived = region.runCommand(RegionTimers.Tick.INSTANCE);
    RegionEvent.Arrived a = arrived.eventOfType(RegionEvent.Arrived.class);
    assertThat(a.seq()).isEqualTo(3);
    assertThat(a.tick()).isEqualTo(world.now());
    assertThat(a.position()).isEqualTo(new Vec3(13.2, 10, 21));
    assertThat(world.feed.events).containsExactly(a);
  }

  @Test
  void aTickThatFiresLateCatchesUpToTheCurrentWorldTick() {
    join("a", 10, 10);
    ask(r -> new RegionCommand.Move("a", new Vec3(20, 10, 21), 1.0, r));
    long start = world.now();

    world.advance(37);
    var result = region.runCommand(RegionTimers.Tick.INSTANCE);

    assertThat(result.hasNoEvents()).isTrue();
    assertThat(region.getState().sim.tick()).isEqualTo(start + 37);
    assertThat(region.getState().sim.agent("a").orElseThrow().position().x()).isEqualTo(13.7);
  }

  @Test
  void anActionAfterAQuietSpellTakesEffectAtTheCurrentTickWithTheArrivalsBeforeIt() {
    join("a", 10, 10);
    ask(r -> new RegionCommand.Move("a", new Vec3(11, 10, 21), 10.0, r));
    world.advance(50);

    var result = ask(r -> new RegionCommand.Speak("a", "made it", null, null, r));

    assertThat(result.events()).hasSize(2);
    assertThat(result.events().get(0)).isInstanceOf(RegionEvent.Arrived.class);
    assertThat(result.events().get(0).tick()).isLessThan(world.now());
    assertThat(result.events().get(1).tick()).isEqualTo(world.now());
    assertThat(accepted(result).seq()).isEqualTo(4);
  }

  @Test
  void perceptionAndViewDescribeTheRegionNow() {
    join("a", 10, 10);
    join("b", 20, 10);
    ask(r -> new RegionCommand.Speak("b", "hello a", null, null, r));

    var perceived =
        ask(r -> new RegionCommand.Perceive("a", r)).replyOfType(RegionReply.Perceived.class);
    var view = ask(r -> new RegionCommand.View(r)).replyOfType(RegionReply.View.class);

    assertThat(perceived.perception().nearby()).extracting(n -> n.agentId()).containsExactly("b");
    assertThat(perceived.perception().heard()).extracting(h -> h.text()).containsExactly("hello a");
    assertThat(view.regionId()).isEqualTo("main");
    assertThat(view.seq()).isEqualTo(3);
    assertThat(view.worldTick()).isEqualTo(world.now());
    assertThat(view.agents()).extracting(RegionReply.AgentView::agentId).containsExactly("a", "b");
  }

  @Test
  void agentsIdleForTheTimeoutAreMadeToLeave() {
    join("quiet", 10, 10);
    join("busy", 20, 10);
    world.advance(9 * 600);
    ask(r -> new RegionCommand.Speak("busy", "still here", null, null, r));
    world.advance(600 + 1);

    var result = region.runCommand(RegionTimers.Housekeeping.INSTANCE);

    RegionEvent.AgentLeft left = result.eventOfType(RegionEvent.AgentLeft.class);
    assertThat(left.agentId()).isEqualTo("quiet");
    assertThat(left.reason()).isEqualTo("idle");
    assertThat(region.getState().sim.contains("busy")).isTrue();
  }

  @Test
  void anAgentWalkingPastTheEdgeIsHandedToTheNeighbourUntilItAcknowledges() {
    join("a", 250, 100);
    ask(r -> new RegionCommand.Move("a", new Vec3(266, 100, 21), 10.0, r));
    world.advance(10);

    var result = region.runCommand(RegionTimers.Tick.INSTANCE);

    RegionEvent.CrossedOut out = result.eventOfType(RegionEvent.CrossedOut.class);
    assertThat(out.toRegion()).isEqualTo("harbor");
    assertThat(out.crossing().edge()).isEqualTo(Edge.EAST);
    assertThat(region.getState().sim.contains("a")).isFalse();
    assertThat(region.getState().pendingHandovers).containsKey(out.handoverId());

    // The neighbour refuses the first time; the region tries again.
    var first = neighbour.expectMessageClass(RegionCommand.AcceptCrossing.class);
    assertThat(first.handoverId()).isEqualTo(out.handoverId());
    first.replyTo().tell(RegionReply.Rejected.unavailable("busy"));
    var second = neighbour.expectMessageClass(RegionCommand.AcceptCrossing.class);
    assertThat(second.crossing()).isEqualTo(out.crossing());
    second
        .replyTo()
        .tell(new RegionReply.Accepted("harbor", world.now(), 1, out.crossing().entry()));

    neighbour.awaitAssert(
        () -> {
          assertThat(region.getState().pendingHandovers).isEmpty();
          return null;
        });
  }

  @Test
  void aHandOverIsAcceptedOnceHoweverOftenItIsRetried() {
    Crossing c =
        new Crossing(
            "w",
            "Walker",
            Permission.DEFAULTS,
            Edge.WEST,
            new Vec3(255.5, 30, 21),
            new Vec3(240, 30, 21),
            3.2);

    var first = ask(r -> new RegionCommand.AcceptCrossing("harbor#7", "harbor", c, r));
    var again = ask(r -> new RegionCommand.AcceptCrossing("harbor#7", "harbor", c, r));

    assertThat(first.eventOfType(RegionEvent.CrossedIn.class).handoverId()).isEqualTo("harbor#7");
    assertThat(accepted(again).seq()).isEqualTo(accepted(first).seq());
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(region.getState().sim.agent("w").orElseThrow().movingTo())
        .isEqualTo(new Vec3(240, 30, 21));
  }

  @Test
  void aRegionRecoveredMidWalkHasBitwiseTheSamePositions() {
    // The same decisions at the same ticks, in a region that never stops.
    var reference =
        new dev.clawbots.world.RegionSimulation(
            world.map.spec("main").orElseThrow(), world.clock, world.now());
    Vec3 toA = new Vec3(90, 77.7, 40);
    Vec3 toB = new Vec3(100, 150, 21);
    join("a", 10, 10);
    join("b", 200, 200);
    ask(r -> new RegionCommand.Move("a", toA, 2.3, r));
    ask(r -> new RegionCommand.Move("b", toB, 1.1, r));
    reference.apply(
        new dev.clawbots.world.Decision.Join(
            "a", "Agent a", new Vec3(10, 10, 21), Permission.DEFAULTS));
    reference.apply(
        new dev.clawbots.world.Decision.Join(
            "b", "Agent b", new Vec3(200, 200, 21), Permission.DEFAULTS));
    reference.apply(new dev.clawbots.world.Decision.Move("a", toA, 2.3));
    reference.apply(new dev.clawbots.world.Decision.Move("b", toB, 1.1));
    world.advance(123);
    region.runCommand(RegionTimers.Tick.INSTANCE);
    var before = region.getState().sim.snapshot();

    region.restart();
    // Recovery replays the journal; the next tick steps from the last event to now.
    region.runCommand(RegionTimers.Tick.INSTANCE);

    assertThat(region.getState().sim.snapshot()).isEqualTo(before);
    world.advance(400);
    region.runCommand(RegionTimers.Tick.INSTANCE);
    reference.advanceTo(world.now());
    assertThat(region.getState().sim.agents()).isEqualTo(reference.agents());
    assertThat(region.getState().sim.agent("b").orElseThrow().walk()).isNotNull();
  }

  @Test
  void aPromptToAnAgentHereIsJournaledAndReachesOnlyThatAgent() {
    join("a", 10, 20);
    join("b", 12, 20);
    var result = ask(r -> new RegionCommand.Prompt("a", "s1", "Sam", "try the lake", r));

    RegionReply.Accepted ok = accepted(result);
    RegionEvent.Prompted prompted = result.eventOfType(RegionEvent.Prompted.class);
    assertThat(prompted.seq()).isEqualTo(ok.seq()).isEqualTo(3);
    assertThat(prompted.agentId()).isEqualTo("a");
    WireEvent wire = WireEvent.of(prompted).orElseThrow();
    assertThat(wire.type()).isEqualTo("prompt");
    assertThat(wire.sourceAgent()).isNull();
    assertThat(wire.targetAgent()).isEqualTo("a");
    assertThat(wire.content())
        .containsEntry("spectator_id", "s1")
        .containsEntry("spectator_name", "Sam")
        .containsEntry("text", "try the lake");
    assertThat(FeedEvent.of(prompted).orElseThrow().audience()).containsExactly("a");
    assertThat(world.feed.events).endsWith(prompted);
  }

  @Test
  void aPromptToAnAgentNotHereIsNotFoundAndJournalsNothing() {
    join("a", 10, 20);
    var result = ask(r -> new RegionCommand.Prompt("nobody", "s1", "Sam", "hello?", r));

    assertThat(result.replyOfType(RegionReply.Rejected.class).code()).isEqualTo("not_found");
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void anAvatarsChatFromTheGridIsJournaledAsChatHeardByTheAgentsInRangeOfIt() {
    join("near", 10, 20);
    join("far", 200, 200);
    var result =
        ask(
            r ->
                new RegionCommand.HearAvatar(
                    "k-1", "Ruth Resident", "hello bots", null, new Vec3(12, 20, 21), r));

    RegionReply.Accepted ok = accepted(result);
    RegionEvent.AvatarSpoke spoke = result.eventOfType(RegionEvent.AvatarSpoke.class);
    assertThat(spoke.seq()).isEqualTo(ok.seq()).isEqualTo(3);
    assertThat(spoke.agentId()).isNull();
    assertThat(spoke.hearers()).containsExactly("near");
    WireEvent wire = WireEvent.of(spoke).orElseThrow();
    assertThat(wire.type()).isEqualTo("chat");
    assertThat(wire.sourceAgent()).isNull();
    assertThat(wire.content())
        .containsEntry("text", "hello bots")
        .containsEntry("volume", "normal")
        .containsEntry("private", false)
        .containsEntry("source", "opensim")
        .containsEntry("speaker_name", "Ruth Resident")
        .containsEntry("speaker_id", "k-1");
    assertThat(FeedEvent.of(spoke).orElseThrow().audience()).containsExactly("near");
    assertThat(world.feed.events).endsWith(spoke);
  }

  @Test
  void anAvatarsChatWithoutTextIsABadRequestAndJournalsNothing() {
    join("a", 10, 20);
    var result =
        ask(r -> new RegionCommand.HearAvatar("k", "Ruth", null, null, new Vec3(1, 1, 21), r));

    assertThat(result.replyOfType(RegionReply.Rejected.class).code()).isEqualTo("bad_request");
    assertThat(result.hasNoEvents()).isTrue();
  }
}
