package dev.clawbots.persistence.bench;

import java.util.Arrays;

/**
 * System-level benchmarks of regions on the PostgreSQL journal at 127.0.0.1:5432 (role and database
 * {@code clawbots}): each run works in a fresh schema {@code bench_<hex>} that it drops at the end,
 * spawns regions directly (no sharding) in one actor system on the production {@code
 * persistence.conf}, runs on the real world clock with automatic ticks, stops by itself, and prints
 * one {@code RESULT} line per figure.
 *
 * <pre>
 * ./mvnw -q -B -pl world-engine,region-actors install -DskipTests   # once, and after changing them
 * ./mvnw -q -pl persistence test-compile exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.clawbots.persistence.bench.RegionBenchmark actions"
 * </pre>
 *
 * <p>Scenarios and their options (defaults in brackets):
 *
 * <ul>
 *   <li>{@code actions}: Move asks accepted per second by one region and by many, with p50/p99
 *       latency. {@code --only one|many|both [both] --regions [200] --agents [50] per region
 *       --inflight-one [64] --inflight-many [400] --warmup [10] --duration [20] --feed count|topic
 *       [count]}
 *   <li>{@code ticking}: process CPU of 200 regions with 10,000 agents standing, then half of them
 *       walking. {@code --regions [200] --agents [50] --walking [0.5] --speed [0.3] m/s --warmup
 *       [10] --duration [30] --feed count|topic [count]}
 *   <li>{@code recovery}: time to the first View of a region with 100,000 events, with and without
 *       snapshots. {@code --events [100000] --agents [20] --inflight [128] per region
 *       --snapshot-every [1000] --snapshots-kept [2] --repeats [3]}
 *   <li>{@code fanout}: messages per second through {@code RedisRegionFeed} (Lettuce) against
 *       {@code redis-benchmark} publishing the same JSON, plain and 16 deep, in one run, with one
 *       subscriber listening. Needs Redis only. {@code --url [redis://127.0.0.1:6379] --messages
 *       [200000] --window [1000] --repeats [3]}
 *   <li>{@code projection}: events per second the read-side projection writes from a journal of
 *       {@code --events} (half chat, half walking), against {@code pgbench} inserting rows of the
 *       same shape one per transaction and {@code --batch} per transaction, in one run. {@code
 *       --events [100000] --regions [20] --agents [10] per region --inflight [200] --batch [500]
 *       --pgbench-seconds [20] --pgbench-clients [2]}
 * </ul>
 *
 * <p>Every scenario also takes {@code --max-seconds} [900]: past it the run prints TIMEOUT, cleans
 * up and exits with status 2.
 */
public final class RegionBenchmark {

  private RegionBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0
        || !Arrays.asList("actions", "ticking", "recovery", "fanout", "projection")
            .contains(args[0])) {
      System.err.println(
          "usage: RegionBenchmark actions|ticking|recovery|fanout|projection [--option value ...]"
              + " (see the class comment for the options)");
      System.exit(64);
    }
    Options options = Options.parse(args, 1);
    int maxSeconds = options.integer("max-seconds", 900);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(maxSeconds * 1000L);
              } catch (InterruptedException e) {
                return;
              }
              System.out.println("TIMEOUT after " + maxSeconds + " s");
              System.exit(2); // the shutdown hook stops the actor system and drops the schema
            },
            "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    System.out.printf(
        "# %s %s; %d cores; java %s (%s); max heap %d MiB; load average %s%n",
        args[0],
        String.join(" ", Arrays.copyOfRange(args, 1, args.length)),
        Usage.CORES,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() >> 20,
        Usage.loadAverage());
    long t0 = System.nanoTime();
    int status = 0;
    try {
      switch (args[0]) {
        case "actions" -> ActionThroughput.run(options);
        case "ticking" -> TickingCpu.run(options);
        case "fanout" -> FanOutThroughput.run(options);
        case "projection" -> ProjectionThroughput.run(options);
        default -> RecoveryTime.run(options);
      }
    } catch (Exception | Error e) {
      System.out.println("FAILED " + e);
      e.printStackTrace();
      status = 1;
    }
    System.out.printf(
        "# done in %.0f s; load average %s%n", (System.nanoTime() - t0) / 1e9, Usage.loadAverage());
    System.exit(status);
  }
}
