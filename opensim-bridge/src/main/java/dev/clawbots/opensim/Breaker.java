package dev.clawbots.opensim;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of one grid. Closed while the grid answers; open when it refused a connection
 * or timed out, with probes that back off from the floor, doubling, up to the ceiling; and
 * misconfigured when it answered that we are wrong (a wrong password, a method not enabled), which
 * no retrying fixes, so it is checked again only rarely. Not thread-safe: the bridge guards it.
 */
final class Breaker {

  /** What the breaker thinks of the grid. */
  enum State {
    CLOSED,
    OPEN,
    MISCONFIGURED
  }

  private final LongSupplier nanos;
  private final Duration floor;
  private final Duration ceiling;
  private final Duration recheck;
  private State state = State.OPEN;
  private int failures;
  private long nextProbe;
  private String problem = "not contacted yet";

  Breaker(LongSupplier nanos, Duration floor, Duration ceiling, Duration recheck) {
    this.nanos = nanos;
    this.floor = floor;
    this.ceiling = ceiling;
    this.recheck = recheck;
    this.nextProbe = nanos.getAsLong();
  }

  State state() {
    return state;
  }

  /** Why the grid is not usable, or null while closed. */
  String problem() {
    return state == State.CLOSED ? null : problem;
  }

  /** Whether a probe should go out now (never while closed: the traffic itself tells). */
  boolean probeDue() {
    return state != State.CLOSED && nanos.getAsLong() - nextProbe >= 0;
  }

  /** The grid answered as it should. */
  void succeeded() {
    state = State.CLOSED;
    failures = 0;
  }

  /** The grid is down: open, and probe after the next backoff. */
  void failed(String why) {
    failures++;
    state = State.OPEN;
    problem = why;
    nextProbe = nanos.getAsLong() + backoff().toNanos();
  }

  /** The grid refuses our configuration: look again only after the long recheck. */
  void misconfigured(String why) {
    state = State.MISCONFIGURED;
    problem = why;
    nextProbe = nanos.getAsLong() + recheck.toNanos();
  }

  /** The wait before the next probe: floor x 2^(failures-1), at most the ceiling. */
  Duration backoff() {
    if (failures <= 1) {
      return floor;
    }
    Duration d = floor;
    for (int i = 1; i < failures && d.compareTo(ceiling) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(ceiling) > 0 ? ceiling : d;
  }
}
