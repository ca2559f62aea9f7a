package dev.clawbots.world;

import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.Assertions;

/** Walks never overshoot, and never leave the region except by crossing into a neighbour. */
class MovementPropertyTest {

  @Property(tries = 1000)
  void walksStayInBoundsNeverOvershootAndEndWhereTheyShould(
      @ForAll("inside") Vec3 from,
      @ForAll("targets") Vec3 to,
      @ForAll("speeds") double speed,
      @ForAll("edges") Set<Edge> neighbours) {
    RegionSpec spec =
        new RegionSpec("m", "M", new GridCoord(0, 0), neighbours, RegionSpec.DEFAULT_SPAWN);
    RegionSimulation sim = new RegionSimulation(spec, TestRegions.clock(), 0);
    sim.apply(new Decision.Join("a", "A", from, Permission.DEFAULTS));
    Happening.WalkStarted started =
        (Happening.WalkStarted) TestRegions.accepted(sim.apply(new Decision.Move("a", to, speed)));
    Walk walk = started.walk();
    double stepLength = speed * 0.1;

    Vec3 last = from;
    Happening end = null;
    while (end == null) {
      TickReport r = sim.step();
      Assertions.assertThat(sim.tick()).isLessThanOrEqualTo(walk.endTick());
      if (!r.moved().isEmpty()) {
        Vec3 p = r.moved().get(0).position();
        Assertions.assertThat(RegionBounds.contains(p)).as("in bounds: %s", p).isTrue();
        Assertions.assertThat(p.distanceTo(walk.target()))
            .isLessThanOrEqualTo(last.distanceTo(walk.target()) + 1e-9);
        Assertions.assertThat(p.distanceTo(last)).isLessThanOrEqualTo(stepLength + 1e-9);
        last = p;
      }
      if (!r.happenings().isEmpty()) {
        end = r.happenings().get(0);
      }
    }

    if (end instanceof Happening.Arrived arrived) {
      Assertions.assertThat(walk.isLeaving()).isFalse();
      Assertions.assertThat(arrived.position()).isEqualTo(walk.target());
      Assertions.assertThat(RegionBounds.contains(walk.target())).isTrue();
      boolean targetInside = RegionBounds.contains(to);
      if (targetInside) {
        Assertions.assertThat(walk.target()).isEqualTo(to);
      }
    } else {
      Crossing c = ((Happening.CrossedOut) end).crossing();
      Assertions.assertThat(neighbours).contains(c.edge());
      Assertions.assertThat(RegionBounds.contains(c.entry())).as("entry %s", c.entry()).isTrue();
      Assertions.assertThat(sim.contains("a")).isFalse();
      // Carrying on in the neighbour, the walker is where it would be had the edge not been there.
      Assertions.assertThat(c.target().minus(c.entry()).length())
          .isCloseTo(to.minus(walk.positionAt(walk.endTick())).length(), Assertions.offset(2.0));
    }
  }

  @Provide
  Arbitrary<Vec3> inside() {
    return Combinators.combine(
            Arbitraries.doubles().between(0, 255.999999).ofScale(6),
            Arbitraries.doubles().between(0, 255.999999).ofScale(6),
            Arbitraries.doubles().between(0, 100))
        .as(Vec3::new);
  }

  @Provide
  Arbitrary<Vec3> targets() {
    Arbitrary<Double> ground =
        Arbitraries.oneOf(
            Arbitraries.doubles().between(-256, 511.99).ofScale(6),
            Arbitraries.of(0.0, 255.9, 256.0, -0.0001, RegionBounds.MAX_GROUND, 511.0, -256.0));
    return Combinators.combine(ground, ground, Arbitraries.doubles().between(0, 100)).as(Vec3::new);
  }

  @Provide
  Arbitrary<Double> speeds() {
    return Arbitraries.doubles().between(0.5, Walk.MAX_SPEED);
  }

  @Provide
  Arbitrary<Set<Edge>> edges() {
    return Arbitraries.of(Edge.class).set().map(s -> s.isEmpty() ? Set.of() : EnumSet.copyOf(s));
  }
}
