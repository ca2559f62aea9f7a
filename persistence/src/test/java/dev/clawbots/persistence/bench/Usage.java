package dev.clawbots.persistence.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A sample of what the machine has spent: this process's CPU time, GC, JIT and threads started,
 * PostgreSQL's server processes' CPU time, and the whole machine's busy time (Linux /proc; zero
 * where unavailable).
 */
record Usage(
    long wallNanos,
    long processCpuNanos,
    long gcCount,
    long gcMillis,
    long threadsStarted,
    long jitMillis,
    long postgresTicks,
    long machineBusyTicks,
    long machineTotalTicks) {

  /** USER_HZ: the unit of /proc CPU times, 100 on every mainstream Linux. */
  static final double CLOCK_TICKS_PER_SECOND = 100.0;

  static final int CORES = Runtime.getRuntime().availableProcessors();

  static Usage now() {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    long[] machine = machineTicks();
    return new Usage(
        System.nanoTime(),
        os.getProcessCpuTime(),
        gcCount,
        gcMillis,
        ManagementFactory.getThreadMXBean().getTotalStartedThreadCount(),
        ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
        readPostgresTicks(),
        machine[0],
        machine[1]);
  }

  double seconds(Usage later) {
    return (later.wallNanos - wallNanos) / 1e9;
  }

  /** This process's CPU over the interval, in cores (1.0 = one core fully busy). */
  double processCores(Usage later) {
    return (later.processCpuNanos - processCpuNanos) / (double) (later.wallNanos - wallNanos);
  }

  double postgresCores(Usage later) {
    return (later.postgresTicks - postgresTicks) / CLOCK_TICKS_PER_SECOND / seconds(later);
  }

  /** The whole machine's busy fraction over the interval, every process included. */
  double machineBusy(Usage later) {
    long total = later.machineTotalTicks - machineTotalTicks;
    return total <= 0 ? 0 : (later.machineBusyTicks - machineBusyTicks) / (double) total;
  }

  /** One line describing the interval from this sample to {@code later}. */
  String describe(Usage later) {
    return String.format(
        Locale.ROOT,
        "%.1f s: process %.3f cores, gc %d collections %d ms, jit %d ms, %d threads started,"
            + " postgres %.3f cores, machine busy %.1f%% of %d cores",
        seconds(later),
        processCores(later),
        later.gcCount - gcCount,
        later.gcMillis - gcMillis,
        later.jitMillis - jitMillis,
        later.threadsStarted - threadsStarted,
        postgresCores(later),
        100 * machineBusy(later),
        CORES);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Busy and total jiffies of all CPUs, from the first line of /proc/stat. */
  private static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      // user nice system idle iowait irq softirq steal (guest is already in user)
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** utime + stime of every process named postgres (a loopback server on this machine). */
  private static long readPostgresTicks() {
    long sum = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        try {
          if (!Files.readString(p.resolve("comm")).trim().equals("postgres")) {
            continue;
          }
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return sum;
  }
}
