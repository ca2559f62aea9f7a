package dev.clawbots.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Figures Gatling's own statistics cannot hold because they span two virtual users: how long a chat
 * takes from its speaker's send to a neighbour's receipt, how many chats came back to their
 * speakers, and the frame rates spectators received. One per run (the simulation's JVM runs one
 * simulation), written beside Gatling's report when the run ends.
 */
final class RunFigures {

  private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  void record(String histogram, long value) {
    histograms
        .computeIfAbsent(histogram, h -> new ConcurrentHistogram(3_600_000L, 3))
        .recordValue(Math.max(0, Math.min(value, 3_600_000L)));
  }

  void count(String counter) {
    counters.computeIfAbsent(counter, c -> new LongAdder()).increment();
  }

  long counted(String counter) {
    LongAdder adder = counters.get(counter);
    return adder == null ? 0 : adder.sum();
  }

  /** The value at {@code percentile} of a histogram, or -1 when nothing was recorded. */
  long percentile(String histogram, double percentile) {
    Histogram h = histograms.get(histogram);
    return h == null || h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(percentile);
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    new TreeMap<>(histograms)
        .forEach(
            (name, h) ->
                lines.add(
                    String.format(
                        "%s: count=%d min=%d p50=%d p95=%d p99=%d max=%d mean=%.1f",
                        name,
                        h.getTotalCount(),
                        h.getMinValue(),
                        h.getValueAtPercentile(50),
                        h.getValueAtPercentile(95),
                        h.getValueAtPercentile(99),
                        h.getMaxValue(),
                        h.getMean())));
    new TreeMap<>(counters).forEach((name, c) -> lines.add(name + ": " + c.sum()));
    return lines;
  }

  /** Prints the figures and writes them to {@code file}, one per line, the verdict last. */
  void report(Path file, String verdict) {
    List<String> lines = lines();
    lines.add("verdict: " + verdict);
    lines.forEach(line -> System.out.println("[figures] " + line));
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
