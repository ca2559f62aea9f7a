package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
 * An agent's entity keeps the agent in one region at a time: actions in no region join first, a
 * join elsewhere leaves the old region, joins at once from two clients end in one region, and what
 * regions decide on their own (a crossing, an idle leave) reaches it through {@link AgentTracking}.
 * Two real regions, "main" and its east neighbour "harbor", on the test journal.
 */
class AgentTest {

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
    // A region not on the map answers as sharding would start it: as an unknown region.
    Function<String, RecipientRef<RegionCommand>> lookup =
        id ->
            regions.computeIfAbsent(
                id,
                unknown ->
                    testKit.spawn(Region.create(unknown, world.environment(r -> null), null)));
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

  private RegionReply ask(
      String agentId, java.util.function.Function<ActorRef<RegionReply>, Agent.Command> command) {
    return AskPattern.<Agent.Command, RegionReply>ask(
            agent(agentId), command::apply, WITHIN, testKit.scheduler())
        .toCompletableFuture()
        .join();
  }

  private String where(String agentId) {
    return AskPattern.<Agent.Command, Agent.Whereabouts>ask(
            agent(agentId), Agent.Where::new, WITHIN, testKit.scheduler())
        .toCompletableFuture()
        .join()
        .regionId();
  }

  private List<String> agentsIn(String region) {
    RegionReply.View v =
        (RegionReply.View)
            Regions.ask(regions.get(region), RegionCommand.View::new, WITHIN, testKit.scheduler())
                .toCompletableFuture()
                .join();
    return v.agents().stream().map(RegionReply.AgentView::agentId).toList();
  }

  @Test
  void anActionInNoRegionFirstJoinsTheGivenRegion() {
    assertThat(where("a")).isNull();
    RegionReply spoke =
        ask(
            "a",
            r ->
                new Agent.Act(
                    new AgentAction.Speak("hello", ChatRange.NORMAL, null),
                    joinOf("harbor", new Vec3(10, 10, 21), null),
                    r));
    assertThat(spoke).isInstanceOf(RegionReply.Accepted.class);
    assertThat(((RegionReply.Accepted) spoke).seq()).isEqualTo(2);
    assertThat(where("a")).isEqualTo("harbor");
    assertThat(agentsIn("harbor")).containsExactly("a");
  }

  @Test
  void joiningElsewhereLeavesTheOldRegionAndJoiningAgainAnswersWhereItStands() {
    assertThat(ask("a", r -> joinOf("main", new Vec3(10, 10, 21), r)))
        .isInstanceOf(RegionReply.Accepted.class);
    assertThat(ask("a", r -> joinOf("harbor", new Vec3(20, 20, 21), r)))
        .isInstanceOf(RegionReply.Accepted.class);
    assertThat(agentsIn("main")).isEmpty();
    assertThat(agentsIn("harbor")).containsExactly("a");

    RegionReply again = ask("a", r -> joinOf("harbor", new Vec3(99, 99, 21), r));
    assertThat(again).isInstanceOf(RegionReply.Accepted.class);
    assertThat(((RegionReply.Accepted) again).position()).isEqualTo(new Vec3(20, 20, 21));
    assertThat(agentsIn("harbor")).containsExactly("a");
  }

  @Test
  void aJoinThatCannotWorkLeavesTheAgentWhereItWas() {
    ask("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    RegionReply outside = ask("a", r -> joinOf("harbor", new Vec3(300, 10, 21), r));
    assertThat(((RegionReply.Rejected) outside).code()).isEqualTo("bad_request");
    RegionReply nowhere = ask("a", r -> joinOf("atlantis", new Vec3(10, 10, 21), r));
    assertThat(nowhere).isInstanceOf(RegionReply.Rejected.class);
    assertThat(where("a")).isEqualTo("main");
    assertThat(agentsIn("main")).containsExactly("a");
  }

  @Test
  void joinsAtOnceFromTwoClientsEndInOneRegion() {
    TestProbe<RegionReply> one = testKit.createTestProbe();
    TestProbe<RegionReply> two = testKit.createTestProbe();
    for (int i = 0; i < 5; i++) {
      agent("a").tell(joinOf("main", new Vec3(10, 10, 21), one.ref()));
      agent("a").tell(joinOf("harbor", new Vec3(10, 10, 21), two.ref()));
    }
    for (int i = 0; i < 5; i++) {
      one.receiveMessage(WITHIN);
      two.receiveMessage(WITHIN);
    }
    assertThat(where("a")).isEqualTo("harbor");
    assertThat(agentsIn("harbor")).containsExactly("a");
    assertThat(agentsIn("main")).isEmpty();
  }

  @Test
  void leavingTakesTheAgentOutAndASecondLeaveFindsItNowhere() {
    ask("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    assertThat(ask("a", Agent.Leave::new)).isInstanceOf(RegionReply.Accepted.class);
    assertThat(where("a")).isNull();
    assertThat(agentsIn("main")).isEmpty();
    RegionReply.Rejected again = (RegionReply.Rejected) ask("a", Agent.Leave::new);
    assertThat(again.code()).isEqualTo("not_found");
  }

  @Test
  void anAgentThatLeftIdleIsNowhereAndItsNextActionJoinsAgain() {
    ask("a", r -> joinOf("main", new Vec3(10, 10, 21), r));
    world.advance(101); // past the 10 s idle timeout
    regions.get("main").tell(RegionTimers.Housekeeping.INSTANCE);
    awaitWhere("a", null);

    RegionReply emoted =
        ask(
            "a",
            r ->
                new Agent.Act(
                    new AgentAction.Emote("wave"), joinOf("main", new Vec3(5, 5, 21), null), r));
    assertThat(emoted).isInstanceOf(RegionReply.Accepted.class);
    assertThat(where("a")).isEqualTo("main");
  }

  @Test
  void anAgentThatWalksIntoTheNeighbourIsFoundThere() {
    ask("a", r -> joinOf("main", new Vec3(250, 100, 21), r));
    RegionReply moving =
        ask(
            "a",
            r ->
                new Agent.Act(
                    new AgentAction.Move(new Vec3(300, 100, 21), 10.0),
                    joinOf("main", null, null),
                    r));
    assertThat(moving).isInstanceOf(RegionReply.Accepted.class);
    world.advance(20);
    regions.get("main").tell(RegionTimers.Tick.INSTANCE);
    awaitWhere("a", "harbor");
    assertThat(agentsIn("harbor")).containsExactly("a");
    // Its actions now go to the region it walked into.
    assertThat(
            ask(
                "a",
                r ->
                    new Agent.Act(
                        new AgentAction.Speak("made it", null, null),
                        joinOf("main", null, null),
                        r)))
        .isInstanceOfSatisfying(
            RegionReply.Accepted.class, a -> assertThat(a.regionId()).isEqualTo("harbor"));
  }

  private void awaitWhere(String agentId, String region) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (!java.util.Objects.equals(where(agentId), region)) {
      assertThat(System.nanoTime()).as("%s in %s", agentId, region).isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}
