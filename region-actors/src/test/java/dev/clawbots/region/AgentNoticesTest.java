package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an agent's entity tells the connections attached to it: where the agent is on attaching,
 * every region it enters (by a join, an action that joins first, or a crossing) with the seq of the
 * event that put it there, every region it leaves, and private messages from other regions. Two
 * real regions, "main" and its east neighbour "harbor", with {@link AgentTracking} on their feed,
 * as in {@link AgentTest}.
 */
class AgentNoticesTest {

  private static final Duration WITHIN = Duration.ofSeconds(5);
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("clawbots.region.agent-idle-timeout = 10s")
              .withFallback(PersistenceTestKitPlugin.config())
              .withFallback(PersistenceTestKitSnapshotPlugin.config())
              .withFallback(TestWorld.config()));

  private final Map<String, ActorRef<RegionCommand>> regions = new ConcurrentHashMap<>();
  private final Map<String, ActorRef<Agent.Command>> agents = new ConcurrentHashMap<>();
  private TestWorld world;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    PersistenceTestKit.create(testKit.system()).clearAll();
    world = new TestWorld();
    Function<String, RecipientRef<RegionCommand>> lookup = id -> regions.get(id);
    RegionEnvironment base = world.environment(lookup);
    RegionEnvironment env =
        new RegionEnvironment(
            base.map(),
            base.clock(),
            RegionSettings.from(testKit.system().settings().config()).withAutomaticTicks(false),
            new AgentTracking(world.feed, id -> agent(id)),
            base.mirror(),
            lookup,
            base.metrics());
    for (String id : List.of("main", "harbor")) {
      regions.put(id, testKit.spawn(Region.create(id, env, null)));
    }
  }

  @AfterEach
  void stop() {
    agents.values().forEach(testKit::stop);
    regions.values().forEach(testKit::stop);
  }

  private ActorRef<Agent.Command> agent(String id) {
    return agents.computeIfAbsent(
        id, a -> testKit.spawn(Agent.create(a, r -> regions.get(r), WITHIN)));
  }

  private static Agent.Join joinOf(String region, Vec3 at, ActorRef<RegionReply> replyTo) {
    return new Agent.Join(region, at, "Ada", Permission.DEFAULTS, replyTo);
  }

  private RegionReply ask(String agentId, Function<ActorRef<RegionReply>, Agent.Command> command) {
    return AskPattern.<Agent.Command, RegionReply>ask(
            agent(agentId), command::apply, WITHIN, testKit.scheduler())
        .toCompletableFuture()
        .join();
  }

  private RegionReply.Accepted accepted(
      String agentId, Function<ActorRef<RegionReply>, Agent.Command> command) {
    RegionReply reply = ask(agentId, command);
    assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
    return (RegionReply.Accepted) reply;
  }

  /** A probe attached to {@code agentId}'s entity, its {@code Attached} answer received. */
  private TestProbe<AgentNotice> attached(String agentId, String expectedRegion) {
    TestProbe<AgentNotice> probe = testKit.createTestProbe(AgentNotice.class);
    agent(agentId).tell(new Agent.Attach(probe.ref()));
    assertThat(probe.expectMessageClass(AgentNotice.Attached.class, WITHIN))
        .isEqualTo(new AgentNotice.Attached(agentId, expectedRegion));
    return probe;
  }

  /** The first event the regions journaled that matches, waiting for it up to a deadline. */
  private <E extends RegionEvent> E journaled(Class<E> type, Predicate<E> which) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      Optional<E> found =
          world.feed.events.stream()
              .filter(type::isInstance)
              .map(type::cast)
              .filter(which)
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      assertThat(System.nanoTime()).as("a %s journaled", type.getSimpleName()).isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  @Test
  void attachingAnswersWhereTheAgentIs() {
    attached("a", null);
    accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    attached("a", "main");
  }

  @Test
  void aJoinTellsTheRegionEnteredWithTheSeqOfItsAgentJoined() {
    accepted("b", r -> joinOf("main", new Vec3(20, 20, 21), r));
    TestProbe<AgentNotice> probe = attached("a", null);

    RegionReply.Accepted joined = accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));

    assertThat(joined.seq()).isEqualTo(2);
    assertThat(probe.expectMessageClass(AgentNotice.Entered.class, WITHIN))
        .isEqualTo(new AgentNotice.Entered("a", "main", joined.seq()));
    assertThat(journaled(RegionEvent.AgentJoined.class, e -> e.agentId().equals("a")).seq())
        .isEqualTo(joined.seq());
  }

  @Test
  void aJoinElsewhereTellsOnlyTheRegionEntered() {
    TestProbe<AgentNotice> probe = attached("a", null);
    RegionReply.Accepted first = accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    assertThat(probe.expectMessageClass(AgentNotice.Entered.class, WITHIN))
        .isEqualTo(new AgentNotice.Entered("a", "main", first.seq()));

    RegionReply.Accepted second = accepted("a", r -> joinOf("harbor", new Vec3(10, 10, 21), r));
    assertThat(probe.receiveMessage(WITHIN))
        .isEqualTo(new AgentNotice.Entered("a", "harbor", second.seq()));
    assertThat(journaled(RegionEvent.AgentJoined.class, e -> e.regionId().equals("harbor")).seq())
        .isEqualTo(second.seq());
  }

  @Test
  void anActionInNoRegionTellsTheRegionItJoinedFirst() {
    TestProbe<AgentNotice> probe = attached("a", null);

    RegionReply.Accepted spoke =
        accepted(
            "a",
            r ->
                new Agent.Act(
                    new AgentAction.Speak("hello", ChatRange.NORMAL, null),
                    joinOf("harbor", new Vec3(10, 10, 21), null),
                    r));

    // The seq is the join's, not the speech's.
    assertThat(spoke.seq()).isEqualTo(2);
    assertThat(probe.expectMessageClass(AgentNotice.Entered.class, WITHIN))
        .isEqualTo(new AgentNotice.Entered("a", "harbor", 1));
    assertThat(journaled(RegionEvent.AgentJoined.class, e -> e.agentId().equals("a")).seq())
        .isEqualTo(1);
  }

  @Test
  void leavingTellsTheRegionLeft() {
    accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    TestProbe<AgentNotice> probe = attached("a", "main");

    accepted("a", Agent.Leave::new);

    assertThat(probe.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Left("a", "main"));
    attached("a", null);
  }

  @Test
  void leavingIdleTellsTheRegionLeft() {
    accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    TestProbe<AgentNotice> probe = attached("a", "main");

    world.advance(101); // past the 10 s idle timeout
    regions.get("main").tell(RegionTimers.Housekeeping.INSTANCE);

    assertThat(probe.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Left("a", "main"));
  }

  @Test
  void walkingIntoTheNeighbourTellsItWithTheSeqOfTheCrossing() {
    accepted("b", r -> joinOf("harbor", new Vec3(100, 100, 21), r));
    accepted("a", r -> joinOf("main", new Vec3(250, 100, 21), r));
    TestProbe<AgentNotice> probe = attached("a", "main");
    accepted(
        "a",
        r ->
            new Agent.Act(
                new AgentAction.Move(new Vec3(300, 100, 21), 10.0), joinOf("main", null, null), r));

    world.advance(20);
    regions.get("main").tell(RegionTimers.Tick.INSTANCE);

    AgentNotice.Entered entered = probe.expectMessageClass(AgentNotice.Entered.class, WITHIN);
    RegionEvent.CrossedIn in = journaled(RegionEvent.CrossedIn.class, e -> true);
    assertThat(in.seq()).isEqualTo(2); // after b's join
    assertThat(entered).isEqualTo(new AgentNotice.Entered("a", "harbor", in.seq()));
  }

  @Test
  void aPrivateMessageFromAnotherRegionReachesTheTargetsConnections() {
    accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    accepted("b", r -> joinOf("harbor", new Vec3(10, 10, 21), r));
    TestProbe<AgentNotice> probe = attached("b", "harbor");

    RegionReply.Accepted said =
        accepted(
            "a",
            r -> new Agent.Act(new AgentAction.Speak("psst", ChatRange.WHISPER, "b"), null, r));

    AgentNotice.Addressed addressed = probe.expectMessageClass(AgentNotice.Addressed.class, WITHIN);
    RegionEvent.Spoke spoke = addressed.message();
    assertThat(spoke.regionId()).isEqualTo("main");
    assertThat(spoke.seq()).isEqualTo(said.seq());
    assertThat(spoke.agentId()).isEqualTo("a");
    assertThat(spoke.to()).isEqualTo("b");
    assertThat(spoke.text()).isEqualTo("psst");
    assertThat(spoke.volume()).isEqualTo(ChatRange.WHISPER);
    assertThat(spoke.hearers()).containsExactly("a");
    assertThat(spoke).isEqualTo(journaled(RegionEvent.Spoke.class, e -> true));
  }

  @Test
  void aPrivateMessageInTheSameRegionIsNotPassedOn() {
    accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    accepted("b", r -> joinOf("main", new Vec3(12, 10, 21), r));
    TestProbe<AgentNotice> probe = attached("b", "main");

    accepted(
        "a", r -> new Agent.Act(new AgentAction.Speak("psst", ChatRange.WHISPER, "b"), null, r));
    assertThat(journaled(RegionEvent.Spoke.class, e -> true).hearers()).containsExactly("a", "b");
    // Anything passed on for the speech would reach b's entity before the leave asked after it.
    accepted("b", Agent.Leave::new);

    assertThat(probe.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Left("b", "main"));
    probe.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aDetachedConnectionHearsNothingMoreAndMayAttachAgain() {
    TestProbe<AgentNotice> gone = attached("a", null);
    TestProbe<AgentNotice> stays = attached("a", null);

    agent("a").tell(new Agent.Detach(gone.ref()));
    RegionReply.Accepted joined = accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));

    assertThat(stays.receiveMessage(WITHIN))
        .isEqualTo(new AgentNotice.Entered("a", "main", joined.seq()));
    // Told to every connection at once: had the detached one been told, it would have it by now.
    gone.expectNoMessage(Duration.ofMillis(100));

    agent("a").tell(new Agent.Attach(gone.ref()));
    assertThat(gone.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Attached("a", "main"));
    accepted("a", Agent.Leave::new);
    assertThat(gone.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Left("a", "main"));
    assertThat(stays.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Left("a", "main"));
  }

  @Test
  void aStoppedConnectionIsDroppedAndTheOthersStillHearEverything() {
    TestProbe<AgentNotice> stopped = attached("a", null);
    TestProbe<AgentNotice> stays = attached("a", null);

    stopped.stop();
    testKit.createTestProbe().expectTerminated(stopped.ref(), WITHIN);

    RegionReply.Accepted joined = accepted("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    assertThat(stays.receiveMessage(WITHIN))
        .isEqualTo(new AgentNotice.Entered("a", "main", joined.seq()));
    accepted("a", Agent.Leave::new);
    assertThat(stays.receiveMessage(WITHIN)).isEqualTo(new AgentNotice.Left("a", "main"));
    // The entity is still there and answering.
    attached("a", null);
  }
}
