package dev.clawbots.world.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ManualClock;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.WorldClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorldDemoTest {

  @Test
  void theDemoPrintsTicksAndPositionsAndKeepsEveryAgentInTheWorld() throws Exception {
    ManualClock manual = new ManualClock(WorldClock.DEFAULT_EPOCH.plus(Duration.ofDays(3)));
    WorldClock clock =
        new WorldClock(
            manual,
            WorldClock.DEFAULT_EPOCH,
            WorldClock.DEFAULT_TICK_INTERVAL,
            WorldClock.DEFAULT_DAY_LENGTH);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WorldDemo demo = new WorldDemo(clock, 7, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    demo.run(6, 6000, manual::advance);

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("6 agents in regions [main, east]");
    assertThat(out.lines().filter(l -> l.matches("tick \\d+ +\\d\\d:\\d\\d (day|night), .*")))
        .hasSize(600);
    assertThat(out)
        .contains("arrives at", "says \"", "crosses east out of the region", "enters at");
    int population = demo.regions().values().stream().mapToInt(RegionSimulation::population).sum();
    assertThat(population).isEqualTo(6);
  }
}
