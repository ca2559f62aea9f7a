package dev.clawbots.world;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.Assertions;

/**
 * The same decisions at the same ticks give bitwise the same world, however the ticks are stepped
 * and whether or not the region was snapshotted and restored on the way. A region recovered from
 * its journal depends on this.
 */
class DeterminismPropertyTest {

  record Step(int gap, Decision decision) {}

  private static final RegionSpec SPEC =
      new RegionSpec(
          "det",
          "Det",
          new GridCoord(3, 4),
          EnumSet.of(Edge.NORTH, Edge.WEST),
          RegionSpec.DEFAULT_SPAWN);

  @Property(tries = 300)
  void sameDecisionsAtSameTicksGiveBitwiseSamePositions(
      @ForAll("scripts") List<Step> script, @ForAll("cuts") int cut) {
    Run jumped = new Run(false, -1);
    Run stepped = new Run(true, -1);
    Run restored = new Run(false, cut % (script.size() + 1));
    for (Run run : List.of(jumped, stepped, restored)) {
      run.play(script);
    }

    Assertions.assertThat(stepped.sim.snapshot()).isEqualTo(jumped.sim.snapshot());
    Assertions.assertThat(restored.sim.snapshot()).isEqualTo(jumped.sim.snapshot());
    Assertions.assertThat(stepped.happenings).isEqualTo(jumped.happenings);
    Assertions.assertThat(restored.happenings).isEqualTo(jumped.happenings);
    for (AgentState a : jumped.sim.agents()) {
      Assertions.assertThat(bits(a.position()))
          .isEqualTo(bits(stepped.sim.agent(a.agentId()).orElseThrow().position()));
    }
  }

  private static long[] bits(Vec3 v) {
    return new long[] {
      Double.doubleToRawLongBits(v.x()),
      Double.doubleToRawLongBits(v.y()),
      Double.doubleToRawLongBits(v.z())
    };
  }

  private static final class Run {
    private final boolean tickByTick;
    private final int restoreAt;
    RegionSimulation sim = new RegionSimulation(SPEC, TestRegions.clock(), 1000);
    final List<Object> happenings = new ArrayList<>();

    Run(boolean tickByTick, int restoreAt) {
      this.tickByTick = tickByTick;
      this.restoreAt = restoreAt;
    }

    void play(List<Step> script) {
      for (int i = 0; i < script.size(); i++) {
        if (i == restoreAt) {
          sim =
              RegionSimulation.restore(
                  SPEC,
                  TestRegions.clock(),
                  new Climate(Duration.ofMillis(100), Duration.ofHours(4)),
                  sim.snapshot());
        }
        Step s = script.get(i);
        advance(sim.tick() + s.gap());
        Outcome<Happening> o = sim.apply(s.decision());
        happenings.add(o);
      }
      advance(sim.tick() + 3000);
    }

    private void advance(long to) {
      if (tickByTick) {
        while (sim.tick() < to) {
          happenings.addAll(sim.step().happenings());
        }
      } else {
        happenings.addAll(sim.advanceTo(to).happenings());
      }
    }
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 1000);
  }

  @Provide
  Arbitrary<List<Step>> scripts() {
    Arbitrary<String> agent = Arbitraries.of("a", "b", "c", "d", "e");
    Arbitrary<Vec3> inside =
        Combinators.combine(coord(0, 255.999999), coord(0, 255.999999), coord(0, 60)).as(Vec3::new);
    Arbitrary<Vec3> target =
        Combinators.combine(coord(-256, 511.9), coord(-256, 511.9), coord(0, 60)).as(Vec3::new);
    Arbitrary<Double> speed = Arbitraries.doubles().between(0.05, 10.0);
    Arbitrary<Decision> join =
        Combinators.combine(agent, inside.injectNull(0.3))
            .as((id, p) -> new Decision.Join(id, "N" + id, p, Permission.DEFAULTS));
    Arbitrary<Decision> move =
        Combinators.combine(agent, target, speed.injectNull(0.2)).as(Decision.Move::new);
    Arbitrary<Decision> leave = agent.map(Decision.Leave::new);
    Arbitrary<Decision> speak =
        Combinators.combine(agent, Arbitraries.of(ChatRange.class).injectNull(0.3))
            .as((id, v) -> new Decision.Speak(id, "hello from " + id, v, null));
    Arbitrary<Decision> emote = agent.map(id -> new Decision.Emote(id, "wave"));
    Arbitrary<Decision> decision =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, join),
            net.jqwik.api.Tuple.of(6, move),
            net.jqwik.api.Tuple.of(1, leave),
            net.jqwik.api.Tuple.of(2, speak),
            net.jqwik.api.Tuple.of(1, emote));
    Arbitrary<Integer> gap = Arbitraries.integers().between(0, 400);
    return Combinators.combine(gap, decision).as(Step::new).list().ofMinSize(1).ofMaxSize(40);
  }

  private static Arbitrary<Double> coord(double min, double max) {
    return Arbitraries.doubles().between(min, max).ofScale(6);
  }
}
