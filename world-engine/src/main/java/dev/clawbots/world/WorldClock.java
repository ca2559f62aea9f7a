package dev.clawbots.world;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The global world clock: {@code world_tick = floor((now - epoch) / tickInterval)}. In-world time
 * of day follows from the tick and the day length. The underlying {@link Clock} is injected so
 * tests can drive it with a {@link ManualClock}.
 */
public final class WorldClock {

  /** The tick interval the API documents as the default. */
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(100);

  /** Four real hours per in-world day, like OpenSimulator's default day cycle. */
  public static final Duration DEFAULT_DAY_LENGTH = Duration.ofHours(4);

  /** The instant tick 0 starts at, unless configured otherwise. */
  public static final Instant DEFAULT_EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long MINUTES_PER_DAY = 24 * 60;
  // Beyond this many seconds a Duration no longer fits in a long count of nanoseconds.
  private static final long MAX_SECONDS_IN_NANOS = Long.MAX_VALUE / NANOS_PER_SECOND - 1;

  private final Clock clock;
  private final Instant epoch;
  private final Duration tickInterval;
  private final Duration dayLength;
  private final long tickNanos;
  private final long dayNanos;

  /**
   * @throws IllegalArgumentException if the tick interval is not positive or the day is shorter
   *     than one tick
   */
  public WorldClock(Clock clock, Instant epoch, Duration tickInterval, Duration dayLength) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.tickInterval = tickInterval;
    this.dayLength = dayLength;
    this.tickNanos = tickNanos(tickInterval);
    this.dayNanos = dayNanos(tickInterval, dayLength);
  }

  /** The default world clock on the system UTC clock. */
  public static WorldClock system() {
    return new WorldClock(
        Clock.systemUTC(), DEFAULT_EPOCH, DEFAULT_TICK_INTERVAL, DEFAULT_DAY_LENGTH);
  }

  /** The tick the world is in now; negative before the epoch. */
  public long currentTick() {
    Duration elapsed = Duration.between(epoch, clock.instant());
    if (Math.abs(elapsed.getSeconds()) <= MAX_SECONDS_IN_NANOS) {
      return Math.floorDiv(elapsed.toNanos(), tickNanos);
    }
    BigInteger nanos =
        BigInteger.valueOf(elapsed.getSeconds())
            .multiply(BigInteger.valueOf(NANOS_PER_SECOND))
            .add(BigInteger.valueOf(elapsed.getNano()));
    return floorDiv(nanos, tickNanos);
  }

  /** The instant {@code tick} starts at. */
  public Instant instantOf(long tick) {
    return epoch.plus(tickInterval.multipliedBy(tick));
  }

  /** How long from now until {@code tick} starts; zero if it already has. */
  public Duration untilTick(long tick) {
    Duration wait = Duration.between(clock.instant(), instantOf(tick));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** The in-world time of day during {@code tick}. */
  public TimeOfDay timeOfDay(long tick) {
    long minuteOfDay =
        mulFloorDiv(nanosIntoDay(tick, tickNanos, dayNanos), MINUTES_PER_DAY, dayNanos);
    return TimeOfDay.of((int) (minuteOfDay / 60), (int) (minuteOfDay % 60));
  }

  public Instant epoch() {
    return epoch;
  }

  public Duration tickInterval() {
    return tickInterval;
  }

  /** The tick interval in seconds, for physics that integrates per tick. */
  public double tickSeconds() {
    return tickNanos / (double) NANOS_PER_SECOND;
  }

  public Duration dayLength() {
    return dayLength;
  }

  /** Whole ticks in one in-world day. */
  public long ticksPerDay() {
    return dayNanos / tickNanos;
  }

  /** The tick interval in nanoseconds, rejecting intervals that cannot drive a clock. */
  static long tickNanos(Duration tickInterval) {
    Objects.requireNonNull(tickInterval, "tickInterval");
    if (tickInterval.isNegative() || tickInterval.isZero()) {
      throw new IllegalArgumentException("tick interval must be positive: " + tickInterval);
    }
    if (tickInterval.getSeconds() > MAX_SECONDS_IN_NANOS) {
      throw new IllegalArgumentException("tick interval too long: " + tickInterval);
    }
    return tickInterval.toNanos();
  }

  /** The day length in nanoseconds, rejecting days shorter than one tick. */
  static long dayNanos(Duration tickInterval, Duration dayLength) {
    Objects.requireNonNull(dayLength, "dayLength");
    if (dayLength.compareTo(tickInterval) < 0) {
      throw new IllegalArgumentException(
          "day length " + dayLength + " is shorter than one tick of " + tickInterval);
    }
    if (dayLength.getSeconds() > MAX_SECONDS_IN_NANOS) {
      throw new IllegalArgumentException("day length too long: " + dayLength);
    }
    return dayLength.toNanos();
  }

  /**
   * How far into its in-world day {@code tick} starts, in {@code [0, dayNanos)}. Works on
   * nanoseconds rather than whole ticks because a day need not be a whole number of ticks.
   */
  static long nanosIntoDay(long tick, long tickNanos, long dayNanos) {
    long high = Math.multiplyHigh(tick, tickNanos);
    long low = tick * tickNanos;
    if (high == (low >> 63)) {
      return Math.floorMod(low, dayNanos);
    }
    return BigInteger.valueOf(tick)
        .multiply(BigInteger.valueOf(tickNanos))
        .mod(BigInteger.valueOf(dayNanos))
        .longValueExact();
  }

  // floor(a * b / c) for c > 0, exact even where a * b overflows a long.
  private static long mulFloorDiv(long a, long b, long c) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if (high == (low >> 63)) {
      return Math.floorDiv(low, c);
    }
    return floorDiv(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), c);
  }

  private static long floorDiv(BigInteger dividend, long divisor) {
    BigInteger[] qr = dividend.divideAndRemainder(BigInteger.valueOf(divisor));
    BigInteger quotient = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    return quotient.longValueExact();
  }
}
