package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.clawbots.world.AgentState;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Crossing;
import dev.clawbots.world.Edge;
import dev.clawbots.world.Heard;
import dev.clawbots.world.Perception;
import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionSnapshot;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.TimeOfDay;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.Walk;
import dev.clawbots.world.Weather;
import dev.clawbots.world.WeatherKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything a region journals, snapshots, answers or sends across the cluster goes through Pekko's
 * serialization with Jackson CBOR and comes back equal: same concrete types, bitwise the same
 * doubles, the same instants to the nanosecond, the same actor refs.
 */
class RegionSerializationTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "RegionSerializationTest",
          ConfigFactory.parseString(
                  "pekko.actor.allow-java-serialization = off\n"
                      + "pekko.actor.warn-about-java-serializer-usage = on\n"
                      + "pekko.loglevel = WARNING\n")
              .withFallback(ConfigFactory.load()));

  private static final Serialization serialization =
      SerializationExtension.get(testKit.system().classicSystem());

  private static final TestProbe<RegionReply> replies =
      testKit.createTestProbe("replies", RegionReply.class);
  private static final TestProbe<AgentNotice> notices =
      testKit.createTestProbe("notices", AgentNotice.class);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  // Values chosen to catch lossy encodings: non-terminating binary fractions, a negative zero, a
  // subnormal, the neighbours of 1, and an instant with all nine digits of nanoseconds.

  private static final double POINT_THREE = 0.1 + 0.2;
  private static final Instant AT = Instant.parse("2026-03-14T15:09:26.535897932Z");
  private static final RegionEvent.Spoke PRIVATE_WORD =
      new RegionEvent.Spoke(
          "harbor", 7, 1_234_702, AT, "b", "psst", ChatRange.WHISPER, "a", List.of("b"));
  private static final Instant LATER = AT.plusNanos(100_000_001);
  private static final Vec3 P1 = new Vec3(POINT_THREE, 128.0 / 3.0, 21.000000000000004);
  private static final Vec3 P2 = new Vec3(-0.0, Math.nextUp(1.0), Math.PI);
  private static final Vec3 P3 = new Vec3(Double.MIN_VALUE, Math.nextDown(256.0), 1e-300);
  private static final Vec3 OUTSIDE = new Vec3(260.1, Math.sqrt(2), 22.7);

  private static Crossing crossing(Edge edge) {
    return new Crossing(
        "agent-" + edge.name().toLowerCase(),
        "Walker " + edge,
        EnumSet.of(Permission.MOVE, Permission.EMOTE),
        edge,
        new Vec3(edge.dx() == 1 ? 0.0 : POINT_THREE, edge.dy() == 1 ? 0.0 : 255.9, 21.5),
        new Vec3(17.0 / 7.0, 99.99999999999999, 21.5),
        Math.nextDown(3.2));
  }

  private static RegionEvent.CrossedOut crossedOut(Edge edge, long seq) {
    return new RegionEvent.CrossedOut(
        "main",
        seq,
        4_321 + seq,
        LATER,
        crossing(edge).agentId(),
        "harbor",
        "h-" + seq,
        crossing(edge));
  }

  static Stream<Named<RegionEvent>> events() {
    List<Named<RegionEvent>> events = new ArrayList<>();
    events.add(
        Named.of(
            "AgentJoined with every permission",
            new RegionEvent.AgentJoined(
                "main", 1, 1_234_567, AT, "a", "Alice", P1, EnumSet.allOf(Permission.class))));
    events.add(
        Named.of(
            "AgentJoined with no permission",
            new RegionEvent.AgentJoined(
                "main", 2, 1_234_567, AT, "b", "Bob", P2, EnumSet.noneOf(Permission.class))));
    events.add(
        Named.of(
            "AgentJoined with an immutable set",
            new RegionEvent.AgentJoined("main", 3, 0, LATER, "c", "Cy", P3, Permission.DEFAULTS)));
    events.add(
        Named.of(
            "AgentLeft",
            new RegionEvent.AgentLeft("main", 4, Long.MAX_VALUE - 1, AT, "a", "left", P1)));
    events.add(
        Named.of(
            "AgentLeft without a position",
            new RegionEvent.AgentLeft("main", 5, 1_234_600, AT, "b", "idle", null)));
    events.add(
        Named.of(
            "MoveStarted",
            new RegionEvent.MoveStarted("main", 6, 1_234_601, AT, "a", P1, P2, Math.nextUp(3.2))));
    events.add(
        Named.of(
            "MoveStarted out of the region",
            new RegionEvent.MoveStarted("main", 7, 1_234_602, LATER, "a", P2, OUTSIDE, 10.0)));
    events.add(Named.of("Arrived", new RegionEvent.Arrived("main", 8, 1_234_700, AT, "a", P2)));
    for (ChatRange volume : ChatRange.values()) {
      events.add(
          Named.of(
              "Spoke " + volume,
              new RegionEvent.Spoke(
                  "main",
                  9,
                  1_234_701,
                  AT,
                  "a",
                  "héllo, wörld ✓ \"quoted\"\n",
                  volume,
                  null,
                  List.of("a", "b", "c"))));
    }
    events.add(
        Named.of(
            "Spoke privately",
            new RegionEvent.Spoke(
                "main",
                10,
                1_234_702,
                AT,
                "a",
                "psst",
                ChatRange.WHISPER,
                "b",
                List.of("a", "b"))));
    events.add(
        Named.of(
            "Spoke to nobody else",
            new RegionEvent.Spoke(
                "main", 11, 1_234_703, AT, "a", "", ChatRange.NORMAL, null, List.of("a"))));
    events.add(
        Named.of(
            "Emoted",
            new RegionEvent.Emoted("main", 12, 1_234_704, AT, "a", "wave", List.of("a", "b"))));
    events.add(
        Named.of(
            "Prompted",
            new RegionEvent.Prompted("main", 12, 1_234_705, AT, "a", "s1", "Sam ✓", "go north")));
    events.add(
        Named.of(
            "AvatarSpoke",
            new RegionEvent.AvatarSpoke(
                "main",
                13,
                1_234_706,
                AT,
                "6f1c0a3e-0000-4000-8000-00000000abcd",
                "Ruth Resident ✓",
                "hello bots",
                ChatRange.SHOUT,
                P1,
                List.of("a", "b"))));
    events.add(
        Named.of(
            "AvatarSpoke heard by nobody, without a key",
            new RegionEvent.AvatarSpoke(
                "main", 14, 1_234_707, AT, null, "Ruth", "", ChatRange.WHISPER, P3, List.of())));
    for (Edge edge : Edge.values()) {
      events.add(Named.of("CrossedOut " + edge, crossedOut(edge, 13 + edge.ordinal())));
      events.add(
          Named.of(
              "CrossedIn " + edge,
              new RegionEvent.CrossedIn(
                  "harbor",
                  20 + edge.ordinal(),
                  4_400,
                  LATER,
                  crossing(edge).agentId(),
                  "main",
                  "h-" + edge.ordinal(),
                  crossing(edge))));
    }
    events.add(
        Named.of(
            "HandoverConfirmed",
            new RegionEvent.HandoverConfirmed("main", 16, 4_500, LATER, "h-13")));
    return events.stream();
  }

  static Stream<Named<RegionStateSnapshot>> snapshots() {
    Walk inside = new Walk(P1, P2, 3.2, 0.32000000000000006, 1_000, 1_437, null);
    Walk leaving = new Walk(P2, OUTSIDE, 10.0, 1.0, 1_200, 1_460, Edge.EAST);
    RegionSnapshot world =
        new RegionSnapshot(
            1_450,
            List.of(
                new AgentState("a", "Alice", P3, inside, Permission.DEFAULTS, 1_000),
                new AgentState("b", "Bob", P1, leaving, EnumSet.of(Permission.MOVE), 1_200),
                new AgentState("c", "Cy", P2, null, EnumSet.noneOf(Permission.class), 7)));
    return Stream.of(
        Named.of(
            "RegionStateSnapshot with walkers, standers and hand-overs",
            new RegionStateSnapshot(
                world,
                42,
                List.of(crossedOut(Edge.NORTH, 40), crossedOut(Edge.WEST, 41)),
                List.of("h-1", "h-2", "h-3"))),
        Named.of(
            "RegionStateSnapshot of an empty region",
            new RegionStateSnapshot(new RegionSnapshot(0, List.of()), 0, List.of(), List.of())));
  }

  static Stream<Named<RegionReply>> replies() {
    Perception perception =
        new Perception(
            1_234_567,
            new Perception.Self("a", "main", P1, P2),
            List.of(
                new Perception.Nearby("b", "Bob", P2, P1.distanceTo(P2)),
                new Perception.Nearby("c", "Cy", P3, P1.distanceTo(P3))),
            List.of(
                new Heard(1_234_560, Heard.Kind.CHAT, "b", "hi", ChatRange.SHOUT, null),
                new Heard(1_234_561, Heard.Kind.CHAT, "c", "psst", ChatRange.WHISPER, "a"),
                new Heard(1_234_562, Heard.Kind.EMOTE, "b", "wave", null, null)),
            TimeOfDay.of(13, 7),
            new Weather(WeatherKind.RAIN, POINT_THREE, 7.0 / 3.0, 359.99999999999994, 0.7));
    Perception standingAlone =
        new Perception(
            0,
            new Perception.Self("a", "main", P3, null),
            List.of(),
            List.of(),
            TimeOfDay.of(0, 0),
            new Weather(WeatherKind.SNOW, -29.999999999999996, 0.0, 0.0, 1.0));
    return Stream.of(
        Named.of("Accepted", new RegionReply.Accepted("main", 1_234_567, 9, P1)),
        Named.of("Accepted without a position", new RegionReply.Accepted("main", 1, 2, null)),
        Named.of(
            "Rejected", new RegionReply.Rejected("forbidden", "NO_PERMISSION", "may not speak")),
        Named.of("Rejected unavailable", RegionReply.Rejected.unavailable("region is restarting")),
        Named.of("Perceived", new RegionReply.Perceived(perception)),
        Named.of("Perceived standing alone", new RegionReply.Perceived(standingAlone)),
        Named.of(
            "View",
            new RegionReply.View(
                "main",
                "Main",
                0,
                -1,
                1_234_567,
                9,
                TimeOfDay.of(23, 59),
                new Weather(WeatherKind.CLEAR, 12.5, 0.1, 90.0, POINT_THREE),
                List.of(
                    new RegionReply.AgentView("a", "Alice", P1, P2),
                    new RegionReply.AgentView("b", "Bob", P3, null)),
                3)),
        Named.of(
            "View of an empty region",
            new RegionReply.View(
                "main",
                "Main",
                0,
                0,
                0,
                0,
                TimeOfDay.of(6, 0),
                standingAlone.weather(),
                List.of(),
                0)));
  }

  static Stream<Named<RegionCommand>> commands() {
    ActorRef<RegionReply> replyTo = replies.ref();
    return Stream.of(
        Named.of(
            "Join",
            new RegionCommand.Join("a", "Alice", P1, EnumSet.allOf(Permission.class), replyTo)),
        Named.of(
            "Join near the spawn point",
            new RegionCommand.Join("a", "Alice", null, Permission.DEFAULTS, replyTo)),
        Named.of("Leave", new RegionCommand.Leave("a", replyTo)),
        Named.of("Move", new RegionCommand.Move("a", P2, Math.nextUp(3.2), replyTo)),
        Named.of("Move at the default speed", new RegionCommand.Move("a", P3, null, replyTo)),
        Named.of("Speak", new RegionCommand.Speak("a", "hello ✓", ChatRange.SHOUT, "b", replyTo)),
        Named.of(
            "Speak at the default volume",
            new RegionCommand.Speak("a", "hello", null, null, replyTo)),
        Named.of("Emote", new RegionCommand.Emote("a", "bow", replyTo)),
        Named.of("Perceive", new RegionCommand.Perceive("a", replyTo)),
        Named.of("Prompt", new RegionCommand.Prompt("a", "s1", "Sam", "try the lake", replyTo)),
        Named.of(
            "HearAvatar",
            new RegionCommand.HearAvatar(
                "k-1", "Ruth Resident", "hi", ChatRange.SHOUT, P2, replyTo)),
        Named.of(
            "HearAvatar at the default volume",
            new RegionCommand.HearAvatar(null, "Ruth", "hi", null, P3, replyTo)),
        Named.of("View", new RegionCommand.View(replyTo)),
        Named.of(
            "AcceptCrossing",
            new RegionCommand.AcceptCrossing("h-7", "main", crossing(Edge.SOUTH), replyTo)),
        Named.of("Passivate", new RegionCommand.Passivate()));
  }

  static Stream<Named<TopicRegionFeed.FeedMessage>> feedMessages() {
    Stream<Named<TopicRegionFeed.FeedMessage>> published =
        events()
            .map(
                e ->
                    Named.of(
                        "EventPublished(" + e.getName() + ")",
                        new TopicRegionFeed.EventPublished(e.getPayload())));
    return Stream.concat(
        published,
        Stream.of(
            Named.of(
                "AgentsMoved",
                new TopicRegionFeed.AgentsMoved(
                    "main",
                    1_234_568,
                    List.of(
                        new TickReport.AgentPosition("a", P1),
                        new TickReport.AgentPosition("b", P2),
                        new TickReport.AgentPosition("c", P3)))),
            Named.of(
                "AgentsMoved with nobody",
                new TopicRegionFeed.AgentsMoved("main", 1_234_569, List.of()))));
  }

  static Stream<Named<CborSerializable>> agentMessages() {
    ActorRef<RegionReply> replyTo = replies.ref();
    Agent.Join join = new Agent.Join("main", P1, "Alice", Permission.DEFAULTS, replyTo);
    return Stream.of(
        Named.of("AgentEvent.Entered", new AgentEvent.Entered("a", "main")),
        Named.of("AgentEvent.Exited", new AgentEvent.Exited("a", "harbor")),
        Named.of("Agent.Join", join),
        Named.of(
            "Agent.Join near the spawn point",
            new Agent.Join("main", null, "Alice", Permission.DEFAULTS, replyTo)),
        Named.of("Agent.Leave", new Agent.Leave(replyTo)),
        Named.of(
            "Agent.Act move",
            new Agent.Act(new AgentAction.Move(P2, Math.nextUp(3.2)), join, replyTo)),
        Named.of(
            "Agent.Act speak",
            new Agent.Act(new AgentAction.Speak("hi ✓", ChatRange.WHISPER, "b"), join, replyTo)),
        Named.of("Agent.Act emote", new Agent.Act(new AgentAction.Emote("wave"), join, replyTo)),
        Named.of("Agent.Act perceive", new Agent.Act(new AgentAction.Perceive(), join, replyTo)),
        Named.of(
            "Agent.Act prompt",
            new Agent.Act(new AgentAction.Prompt("s1", "Sam", "try the lake"), null, replyTo)),
        Named.of("Agent.CrossedInto", new Agent.CrossedInto("harbor", 42)),
        Named.of("Agent.Attach", new Agent.Attach(notices.ref())),
        Named.of("Agent.Detach", new Agent.Detach(notices.ref())),
        Named.of("Agent.Addressed", new Agent.Addressed(PRIVATE_WORD)),
        Named.of("AgentNotice.Attached", new AgentNotice.Attached("a", "main")),
        Named.of("AgentNotice.Attached nowhere", new AgentNotice.Attached("a", null)),
        Named.of("AgentNotice.Entered", new AgentNotice.Entered("a", "harbor", 42)),
        Named.of("AgentNotice.Left", new AgentNotice.Left("a", "harbor")),
        Named.of("AgentNotice.Addressed", new AgentNotice.Addressed(PRIVATE_WORD)),
        Named.of("Agent.LeftRegion", new Agent.LeftRegion("main")),
        Named.of("Agent.Whereabouts", new Agent.Whereabouts("a", "main")),
        Named.of("Agent.Whereabouts nowhere", new Agent.Whereabouts("a", null)));
  }

  static Stream<Named<Object>> everything() {
    return Stream.of(events(), snapshots(), replies(), commands(), feedMessages(), agentMessages())
        .flatMap(s -> s.map(n -> Named.<Object>of(n.getName(), n.getPayload())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everything")
  void roundTripsThroughJacksonCbor(Object original) throws Exception {
    Serializer serializer = serialization.findSerializerFor(original);
    assertThat(serializer.getClass().getName()).contains("JacksonCborSerializer");
    assertThat(serializer.identifier()).isEqualTo(jacksonCborId());
    assertThat(serialization.serializerFor(original.getClass())).isSameAs(serializer);

    byte[] bytes = serialization.serialize(original).get();
    String manifest = Serializers.manifestFor(serializer, original);
    Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();

    assertThat(back).isExactlyInstanceOf(original.getClass()).isEqualTo(original);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void aPublishedEventKeepsItsConcreteType(RegionEvent event) {
    var back =
        (TopicRegionFeed.EventPublished) roundTrip(new TopicRegionFeed.EventPublished(event));

    assertThat(back.event()).isExactlyInstanceOf(event.getClass()).isEqualTo(event);
  }

  @Test
  void aDeserializedReplyToStillReachesTheProbe() {
    var back = (RegionCommand.Leave) roundTrip(new RegionCommand.Leave("a", replies.ref()));

    assertThat(back.replyTo()).isEqualTo(replies.ref());
    back.replyTo().tell(new RegionReply.Accepted("main", 1, 2, P1));
    replies.expectMessage(new RegionReply.Accepted("main", 1, 2, P1));
  }

  @Test
  void theSnapshotKeepsItsPendingHandoversAsCrossedOut() {
    RegionStateSnapshot original = snapshots().findFirst().orElseThrow().getPayload();

    var back = (RegionStateSnapshot) roundTrip(original);

    assertThat(back.pendingHandovers())
        .allSatisfy(h -> assertThat(h).isInstanceOf(RegionEvent.CrossedOut.class));
    assertThat(back.world().agents())
        .extracting(AgentState::walk)
        .containsExactlyElementsOf(
            original.world().agents().stream().map(AgentState::walk).toList());
  }

  /** A new event, reply, command or feed message must get a case above. */
  @Test
  void everySerializableTypeHasACase() {
    Set<Class<?>> covered =
        everything().map(n -> n.getPayload().getClass()).collect(Collectors.toSet());
    Set<Class<?>> expected = new HashSet<>();
    expected.add(RegionStateSnapshot.class);
    for (Class<?> sealed :
        List.of(
            RegionEvent.class,
            RegionReply.class,
            RegionCommand.class,
            TopicRegionFeed.FeedMessage.class)) {
      Arrays.stream(sealed.getPermittedSubclasses())
          .filter(c -> !c.isInterface())
          .forEach(expected::add);
    }

    assertThat(covered).containsAll(expected);
  }

  private static Object roundTrip(Object original) {
    Serializer serializer = serialization.findSerializerFor(original);
    byte[] bytes = serialization.serialize(original).get();
    return serialization
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, original))
        .get();
  }

  private static int jacksonCborId() {
    return testKit
        .system()
        .settings()
        .config()
        .getInt("pekko.actor.serialization-identifiers.jackson-cbor");
  }
}
