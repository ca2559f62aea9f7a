package dev.clawbots.world;

import static dev.clawbots.world.TestRegions.accepted;
import static dev.clawbots.world.TestRegions.join;
import static dev.clawbots.world.TestRegions.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class WalkingTest {

  @Test
  void walkersAdvanceAtTheirSpeedEachTick() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 100, 100)));
    accepted(sim.apply(new Decision.Move("a", new Vec3(110, 100, 21), 2.0)));

    TickReport r = sim.step();

    assertThat(r.moved()).hasSize(1);
    assertThat(r.moved().get(0).position().x()).isCloseTo(100.2, offset(1e-9));
  }

  @Test
  void defaultSpeedIsThreePointTwoMetresPerSecond() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 100, 100)));
    Happening.WalkStarted started =
        (Happening.WalkStarted)
            accepted(sim.apply(new Decision.Move("a", new Vec3(132, 100, 21), null)));

    assertThat(started.walk().speed()).isEqualTo(3.2);
    // 32 m at 0.32 m a tick takes 100 ticks.
    assertThat(started.walk().endTick()).isEqualTo(100);
  }

  @Test
  void walkerArrivesExactlyAtItsTargetWithoutOvershooting() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 10, 10)));
    Vec3 target = new Vec3(13.3, 14.1, 25);
    accepted(sim.apply(new Decision.Move("a", target, 3.2)));

    double last = Double.MAX_VALUE;
    Happening.Arrived arrived = null;
    for (int i = 0; i < 100 && arrived == null; i++) {
      TickReport r = sim.step();
      double d = r.moved().get(0).position().distanceTo(target);
      assertThat(d).isLessThanOrEqualTo(last);
      last = d;
      for (Happening h : r.happenings()) {
        arrived = (Happening.Arrived) h;
      }
    }

    assertThat(arrived).isNotNull();
    assertThat(arrived.position()).isEqualTo(target);
    assertThat(sim.agent("a").orElseThrow().walk()).isNull();
    assertThat(sim.step().moved()).isEmpty();
  }

  @Test
  void aNewMoveRedirectsFromWhereTheWalkerStands() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 50, 50)));
    accepted(sim.apply(new Decision.Move("a", new Vec3(60, 50, 21), 10.0)));
    sim.advanceTo(5);
    accepted(sim.apply(new Decision.Move("a", new Vec3(55, 60, 21), 10.0)));

    assertThat(sim.agent("a").orElseThrow().walk().origin()).isEqualTo(new Vec3(55, 50, 21));
  }

  @Test
  void aTargetPastAnEdgeWithNoNeighbourStopsAtTheEdge() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 250, 100)));
    Happening.WalkStarted started =
        (Happening.WalkStarted)
            accepted(sim.apply(new Decision.Move("a", new Vec3(262, 112, 21), 10.0)));

    assertThat(started.walk().isLeaving()).isFalse();
    assertThat(started.walk().target().x()).isEqualTo(RegionBounds.MAX_GROUND);
    assertThat(started.walk().target().y()).isCloseTo(106, offset(1e-9));
    TickReport all = sim.advanceTo(1000);
    assertThat(all.happenings()).singleElement().isInstanceOf(Happening.Arrived.class);
    assertThat(RegionBounds.contains(sim.agent("a").orElseThrow().position())).isTrue();
  }

  @Test
  void aTargetPastAnEdgeWithANeighbourCrossesIntoIt() {
    RegionSimulation west = region(Edge.EAST);
    accepted(west.apply(join("a", 250, 100)));
    accepted(west.apply(new Decision.Move("a", new Vec3(266, 100, 21), 10.0)));

    TickReport r = west.advanceTo(1000);

    Happening.CrossedOut out = (Happening.CrossedOut) r.happenings().get(0);
    // 1 m a tick from x = 250: tick 6 reaches x = 256, the first x outside the region.
    assertThat(out.tick()).isEqualTo(6);
    assertThat(out.crossing().edge()).isEqualTo(Edge.EAST);
    assertThat(out.crossing().entry().x()).isEqualTo(0.0);
    assertThat(out.crossing().target()).isEqualTo(new Vec3(10, 100, 21));
    assertThat(west.contains("a")).isFalse();
    assertThat(r.moved()).extracting(TickReport.AgentPosition::agentId).doesNotContain("a");

    RegionSimulation east =
        new RegionSimulation(TestRegions.spec("east", Edge.WEST), TestRegions.clock(), 6);
    accepted(east.apply(new Decision.CrossIn(out.crossing())));
    east.advanceTo(1000);
    assertThat(east.agent("a").orElseThrow().position()).isEqualTo(new Vec3(10, 100, 21));
  }

  @Test
  void crossingSouthAndWestTranslateIntoTheNeighboursCoordinates() {
    RegionSimulation sim = region(Edge.SOUTH, Edge.WEST);
    accepted(sim.apply(join("s", 100, 0.5)));
    accepted(sim.apply(join("w", 0.5, 100)));
    accepted(sim.apply(new Decision.Move("s", new Vec3(100, -10, 21), 1.0)));
    accepted(sim.apply(new Decision.Move("w", new Vec3(-10, 100, 21), 1.0)));

    TickReport r = sim.advanceTo(100);

    assertThat(r.happenings()).hasSize(2);
    for (Happening h : r.happenings()) {
      Crossing c = ((Happening.CrossedOut) h).crossing();
      assertThat(RegionBounds.contains(c.entry())).isTrue();
      if (c.agentId().equals("s")) {
        assertThat(c.edge()).isEqualTo(Edge.SOUTH);
        assertThat(c.entry().y()).isGreaterThan(255);
        assertThat(c.target()).isEqualTo(new Vec3(100, 246, 21));
      } else {
        assertThat(c.edge()).isEqualTo(Edge.WEST);
        assertThat(c.entry().x()).isGreaterThan(255);
        assertThat(c.target()).isEqualTo(new Vec3(246, 100, 21));
      }
    }
  }

  @Test
  void aDiagonalWalkCrossesTheEdgeItMeetsFirst() {
    RegionSimulation sim = region(Edge.NORTH, Edge.EAST);
    accepted(sim.apply(join("a", 250, 200)));
    // The line to (300, 300) meets x = 256 (at y = 212) long before y = 256.
    Happening.WalkStarted started =
        (Happening.WalkStarted)
            accepted(sim.apply(new Decision.Move("a", new Vec3(300, 300, 21), 10.0)));

    assertThat(started.walk().exitEdge()).isEqualTo(Edge.EAST);
  }

  @Test
  void anIdleRegionJumpsAheadWithoutSteppingEveryTick() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 1, 1)));

    TickReport r = sim.advanceTo(1_000_000_000L);

    assertThat(r.isQuiet()).isTrue();
    assertThat(sim.tick()).isEqualTo(1_000_000_000L);
  }

  @Test
  void advancingInOneCallMatchesSteppingTickByTick() {
    RegionSimulation stepped = region(Edge.EAST);
    RegionSimulation jumped = region(Edge.EAST);
    for (RegionSimulation sim : new RegionSimulation[] {stepped, jumped}) {
      accepted(sim.apply(join("a", 10, 10)));
      accepted(sim.apply(join("b", 240, 30)));
      accepted(sim.apply(new Decision.Move("a", new Vec3(77.7, 33.3, 40), 2.7)));
      accepted(sim.apply(new Decision.Move("b", new Vec3(300, 31, 21), 9.0)));
    }
    for (int i = 0; i < 123; i++) {
      stepped.step();
    }
    TickReport r = jumped.advanceTo(123);

    assertThat(jumped.agents()).isEqualTo(stepped.agents());
    assertThat(r.happenings()).hasSize(1).first().isInstanceOf(Happening.CrossedOut.class);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(doubles = {4.9e-324, 1e-300, 1e-200, 1e-15})
  void aWalkTooSlowToEverArriveIsPlannedAtOnceAndNeverEnds(double speed) {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 100, 100)));
    Happening.WalkStarted started =
        (Happening.WalkStarted)
            accepted(sim.apply(new Decision.Move("a", new Vec3(200, 100, 21), speed)));

    assertThat(started.walk().endTick()).isEqualTo(Long.MAX_VALUE);
    TickReport r = sim.step();
    assertThat(r.happenings()).noneMatch(h -> h instanceof Happening.Arrived);
  }
}
