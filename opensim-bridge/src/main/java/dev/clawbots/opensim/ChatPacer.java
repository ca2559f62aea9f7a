package dev.clawbots.opensim;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Paces one region's channel-0 messages: at most {@code perSecond} within any one second (a sliding
 * window, not a token bucket, which would allow twice as many across a bucket's refill), so that
 * the relay script never reaches OpenSim's chat throttle: past 11 in a second each say puts the
 * script to sleep for 2 s, which would stall every NPC of the region.
 */
final class ChatPacer {

  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier nanos;
  private final int perSecond;
  private final ArrayDeque<Long> sent = new ArrayDeque<>();

  ChatPacer(LongSupplier nanos, int perSecond) {
    this.nanos = nanos;
    this.perSecond = perSecond;
  }

  /** How many messages may go now. */
  int available() {
    long now = nanos.getAsLong();
    while (!sent.isEmpty() && now - sent.peekFirst() >= SECOND) {
      sent.pollFirst();
    }
    return perSecond - sent.size();
  }

  /** Counts one message as sent now; call only after {@link #available()} said there is room. */
  void take() {
    sent.addLast(nanos.getAsLong());
  }
}
