package dev.clawbots.region;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls into a region's ports, so that a port that fails never takes its region down with it. */
final class Ports {

  private static final Logger log = LoggerFactory.getLogger(Ports.class);

  private Ports() {}

  static void call(RegionMetrics metrics, Consumer<RegionMetrics> call) {
    try {
      call.accept(metrics);
    } catch (RuntimeException e) {
      log.error("{} failed; the region goes on without it", metrics.getClass().getName(), e);
    }
  }

  static void tell(RegionObserver observer, Consumer<RegionObserver> call) {
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      log.error("{} failed; the region goes on without it", observer.getClass().getName(), e);
    }
  }
}
