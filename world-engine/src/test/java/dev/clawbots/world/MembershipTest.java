package dev.clawbots.world;

import static dev.clawbots.world.TestRegions.accepted;
import static dev.clawbots.world.TestRegions.join;
import static dev.clawbots.world.TestRegions.region;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipTest {

  @Test
  void joiningWithoutAPositionAppearsNearTheSpawnPointAlwaysAtTheSamePlace() {
    RegionSimulation one = region();
    RegionSimulation two = region();
    Decision.Join j = new Decision.Join("newcomer", "New", null, Permission.DEFAULTS);

    Happening.Joined a = (Happening.Joined) accepted(one.apply(j));
    Happening.Joined b = (Happening.Joined) accepted(two.apply(j));

    assertThat(a.position()).isEqualTo(b.position());
    assertThat(a.position().distanceTo(RegionSpec.DEFAULT_SPAWN))
        .isLessThanOrEqualTo(Spawn.SCATTER_METRES + 1e-9);
  }

  @Test
  void aCrowdJoiningAtTheSpawnPointDoesNotStandInOneSpot() {
    RegionSimulation sim = region();
    for (int i = 0; i < 20; i++) {
      accepted(sim.apply(new Decision.Join("c" + i, "C", null, Permission.DEFAULTS)));
    }
    assertThat(sim.agents().stream().map(AgentState::position).distinct().count()).isEqualTo(20);
  }

  @Test
  void leavingRemovesTheAgentFromQueriesAndWalks() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 10, 10)));
    accepted(sim.apply(join("b", 12, 10)));
    accepted(sim.apply(new Decision.Move("a", new Vec3(20, 10, 21), null)));

    Happening.Left left = (Happening.Left) accepted(sim.apply(new Decision.Leave("a")));

    assertThat(left.position()).isEqualTo(new Vec3(10, 10, 21));
    assertThat(sim.contains("a")).isFalse();
    assertThat(sim.walking()).isZero();
    assertThat(sim.step().moved()).isEmpty();
    Perception p = ((Outcome.Accepted<Perception>) sim.perceive("b")).value();
    assertThat(p.nearby()).isEmpty();
  }

  @Test
  void agentsWithoutDecisionsForLongEnoughAreIdle() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("quiet", 10, 10)));
    accepted(sim.apply(join("chatty", 12, 10)));
    sim.advanceTo(5000);
    accepted(sim.apply(new Decision.Speak("chatty", "still here", null, null)));
    sim.advanceTo(6000);

    assertThat(sim.idleFor(6000)).containsExactly("quiet");
    assertThat(sim.idleFor(1000)).containsExactly("quiet", "chatty");
    assertThat(sim.idleFor(6001)).isEmpty();
  }

  @Test
  void aRestoredRegionGoesOnAsIfItHadNeverStopped() {
    RegionSimulation live = region(Edge.NORTH);
    accepted(live.apply(join("a", 10, 10)));
    accepted(live.apply(join("b", 100, 250)));
    accepted(live.apply(new Decision.Move("a", new Vec3(90, 70, 30), 1.7)));
    accepted(live.apply(new Decision.Move("b", new Vec3(100, 300, 21), 2.5)));
    live.advanceTo(10);

    RegionSimulation restored =
        RegionSimulation.restore(
            live.spec(),
            TestRegions.clock(),
            new Climate(java.time.Duration.ofMillis(100), java.time.Duration.ofHours(4)),
            live.snapshot());
    TickReport a = live.advanceTo(800);
    TickReport b = restored.advanceTo(800);

    assertThat(restored.agents()).isEqualTo(live.agents());
    assertThat(b).isEqualTo(a);
  }
}
