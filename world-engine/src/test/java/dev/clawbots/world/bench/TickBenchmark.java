package dev.clawbots.world.bench;

import dev.clawbots.world.Decision;
import dev.clawbots.world.Happening;
import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tick step of a region where every agent is walking. Agents that arrive are sent on at once,
 * so every measured step moves all of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TickBenchmark {

  @Param({"1000", "10000"})
  int agents;

  private RegionSimulation sim;
  private SplittableRandom random;

  @Setup(Level.Iteration)
  public void populate() {
    random = new SplittableRandom(42);
    sim = BenchRegion.empty();
    for (int i = 0; i < agents; i++) {
      String id = "a" + i;
      sim.apply(new Decision.Join(id, id, randomPoint(), Permission.DEFAULTS));
      sim.apply(new Decision.Move(id, randomPoint(), 1.0 + random.nextDouble() * 2.2));
    }
  }

  @Benchmark
  public TickReport stepAllWalking() {
    TickReport r = sim.step();
    for (Happening h : r.happenings()) {
      sim.apply(new Decision.Move(h.agentId(), randomPoint(), 3.2));
    }
    return r;
  }

  private Vec3 randomPoint() {
    return new Vec3(random.nextDouble() * 255, random.nextDouble() * 255, 21);
  }
}
