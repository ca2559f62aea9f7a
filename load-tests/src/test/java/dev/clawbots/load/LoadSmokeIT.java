package dev.clawbots.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load tests' smoke run, so that the build keeps them working: {@code load-tests/run.sh} with
 * 50 agents over 5 regions for 30 seconds against a server of its own on PostgreSQL and Redis,
 * exactly as a user runs it, with the build's own server jar. It passes only when Gatling's
 * assertions hold (no error, p99 action-to-ack under 1 s) and the run's verdict is ok (neighbours
 * heard each other, speak-to-heard p99 under 2 s). The big runs are in BENCHMARKS.md.
 */
class LoadSmokeIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void fiftyAgentsForThirtySecondsPassEveryAssertion() throws IOException, InterruptedException {
    List<String> command =
        List.of(
            "bash",
            "load-tests/run.sh",
            "agents",
            "-Dagents=50",
            "-Dregions=5",
            "-Dramp=10",
            "-Dduration=30",
            "-Dmax.p99.ms=1000",
            "-Dmax.heard.p99.ms=2000",
            "-Dmax.errors.percent=0");
    File log = ROOT.resolve("load-tests/target/smoke-run.log").toFile();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log);
    // The build has just packaged the server; run.sh must not build it again inside the build.
    builder.environment().put("SKIP_BUILD", "1");
    builder.environment().put("LOAD_SERVER_HEAP", "1g");
    Process run = builder.start();
    run.getOutputStream().close();
    boolean finished = run.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
    }
    String output = Files.readString(log.toPath());
    assertThat(finished).as("the smoke run finished within 10 minutes").isTrue();
    assertThat(run.exitValue()).as("run.sh's status; its output:%n%s", output).isZero();
    assertThat(output)
        .contains("verdict: ok")
        .contains("move: count=")
        .contains("events journaled per second");
  }
}
