package dev.clawbots.world.bench;

import dev.clawbots.world.SpatialGrid;
import dev.clawbots.world.Vec3;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the queries a region runs every tick, such as chat range and perception, with agents
 * spread evenly over the region at ground height.
 *
 * <p>Run with {@code ./mvnw -q -pl world-engine test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.openjdk.jmh.Main SpatialGridBenchmark
 * -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpatialGridBenchmark {

  private static final double RADIUS = 64.0;
  private static final int K = 50;
  private static final double GROUND_Z = 21.0;
  // A power of two, so that cycling through the centres is a mask rather than a division.
  private static final int CENTRES = 1024;

  @Param({"1000", "10000"})
  public int agents;

  private SpatialGrid grid;
  private Vec3[] centres;
  private int next;
  private int hitCount;
  private final SpatialGrid.Visitor counter = (id, position, distanceSquared) -> hitCount++;

  @Setup
  public void populate() {
    Random random = new Random(42);
    grid = new SpatialGrid();
    for (int i = 0; i < agents; i++) {
      grid.put("agent-" + i, randomGroundPoint(random));
    }
    centres = new Vec3[CENTRES];
    for (int i = 0; i < CENTRES; i++) {
      centres[i] = randomGroundPoint(random);
    }
  }

  private static Vec3 randomGroundPoint(Random random) {
    return new Vec3(random.nextDouble() * 256, random.nextDouble() * 256, GROUND_Z);
  }

  private Vec3 nextCentre() {
    next = (next + 1) & (CENTRES - 1);
    return centres[next];
  }

  @Benchmark
  public List<SpatialGrid.Hit> within() {
    return grid.within(nextCentre(), RADIUS);
  }

  @Benchmark
  public void forEachWithin(Blackhole blackhole) {
    hitCount = 0;
    grid.forEachWithin(nextCentre(), RADIUS, counter);
    blackhole.consume(hitCount);
  }

  @Benchmark
  public void nearest(Blackhole blackhole) {
    blackhole.consume(grid.nearest(nextCentre(), RADIUS, K, null));
  }
}
