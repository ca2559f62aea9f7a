package dev.clawbots.persistence.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of the live Java threads, by thread group (the name with its numbers folded), so that a
 * window's process CPU can be split into actor dispatchers, the journal's database threads, and so
 * on. What the groups do not cover is the JVM's own threads (GC, JIT) and threads that ended.
 */
final class ThreadCpu {

  private final Map<Long, Long> cpuById = new HashMap<>();
  private final Map<Long, String> groupById = new HashMap<>();

  static ThreadCpu now() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ThreadCpu s = new ThreadCpu();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = mx.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        s.cpuById.put(info.getThreadId(), cpu);
        s.groupById.put(info.getThreadId(), info.getThreadName().replaceAll("\\d+", "N"));
      }
    }
    return s;
  }

  /** The top groups by CPU from this sample to {@code later}, in cores, and the remainder. */
  String describe(ThreadCpu later, Usage u0, Usage u1) {
    double wall = u1.wallNanos() - u0.wallNanos();
    Map<String, Long> byGroup = new HashMap<>();
    long total = 0;
    for (Map.Entry<Long, Long> e : later.cpuById.entrySet()) {
      long spent = e.getValue() - cpuById.getOrDefault(e.getKey(), 0L);
      byGroup.merge(later.groupById.get(e.getKey()), spent, Long::sum);
      total += spent;
    }
    long process = u1.processCpuNanos() - u0.processCpuNanos();
    String top =
        byGroup.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(6)
            .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue() / wall))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "CPU in cores by thread group: %s; JVM-internal and ended threads %.3f",
        top,
        (process - total) / wall);
  }
}
