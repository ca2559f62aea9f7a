package dev.clawbots.world.bench;

import dev.clawbots.world.Decision;
import dev.clawbots.world.Outcome;
import dev.clawbots.world.Perception;
import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.Vec3;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building one agent's perception among many: nearby agents within 64 m (at most 50, nearest
 * first), time of day and weather. Agents are spread uniformly over the region.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PerceptionBenchmark {

  @Param({"1000"})
  int agents;

  private RegionSimulation sim;
  private String[] ids;
  private int next;

  @Setup
  public void populate() {
    SplittableRandom random = new SplittableRandom(42);
    sim = BenchRegion.empty();
    ids = new String[agents];
    for (int i = 0; i < agents; i++) {
      ids[i] = "a" + i;
      Vec3 p = new Vec3(random.nextDouble() * 255, random.nextDouble() * 255, 21);
      sim.apply(new Decision.Join(ids[i], ids[i], p, Permission.DEFAULTS));
    }
  }

  @Benchmark
  public Outcome<Perception> perceiveOneAgent() {
    // A different agent each time, so the measure is not of one lucky spot in the region.
    String id = ids[next];
    next = (next + 1) % ids.length;
    return sim.perceive(id);
  }
}
