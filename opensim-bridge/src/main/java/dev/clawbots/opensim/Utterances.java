package dev.clawbots.opensim;

import dev.clawbots.world.ChatRange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What agents of one region said and did, waiting for their NPCs: a bounded queue that a region
 * adds to without ever waiting, and that drops its oldest entry (counted) when full, so that a grid
 * away for long costs a fixed amount of memory and gets the most recent chat when it returns.
 */
final class Utterances {

  /** A chat line or gesture of an agent. */
  sealed interface Utterance {
    String agentId();
  }

  /** A line on the public channel; {@code text} is already cut to what OpenSim chat carries. */
  record Line(String agentId, String text, ChatRange volume) implements Utterance {}

  /** An animation the NPC plays. */
  record Gesture(String agentId, String animation) implements Utterance {}

  /** OpenSim chat carries at most 1023 bytes; keep clear of it. */
  static final int MAX_TEXT_BYTES = 1000;

  /** The contract's named emotes, as animations every OpenSim viewer has. */
  private static final Map<String, String> ANIMATIONS =
      Map.of(
          "wave", "hello",
          "nod", "yes",
          "bow", "bow",
          "laugh", "express_laugh",
          "shrug", "shrug",
          "point", "point_you",
          "dance", "dance1",
          "sit", "sit_ground_constrained",
          "stand", "stand");

  private final ConcurrentLinkedDeque<Utterance> queue = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicInteger overflowed = new AtomicInteger();
  private final int bound;

  Utterances(int bound) {
    this.bound = bound;
  }

  /** An emote as a gesture, or, for free text, as an emote line ({@code /me ...}) viewers show. */
  static Utterance emote(String agentId, String emote) {
    String animation = ANIMATIONS.get(emote);
    return animation != null
        ? new Gesture(agentId, animation)
        : new Line(agentId, cut("/me " + emote), ChatRange.NORMAL);
  }

  static String cut(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= MAX_TEXT_BYTES) {
      return text;
    }
    // Back off to a character boundary: a continuation byte is 10xxxxxx.
    int end = MAX_TEXT_BYTES;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
  }

  void offer(Utterance u) {
    queue.addLast(u);
    trim(size.incrementAndGet());
  }

  /** Puts back, in their order and ahead of the rest, lines a failed batch did not deliver. */
  void requeue(List<Utterance> front) {
    for (int i = front.size() - 1; i >= 0; i--) {
      queue.addFirst(front.get(i));
    }
    trim(size.addAndGet(front.size()));
  }

  private void trim(int now) {
    while (now > bound && queue.pollFirst() != null) {
      now = size.decrementAndGet();
      overflowed.incrementAndGet();
    }
  }

  Utterance poll() {
    Utterance u = queue.pollFirst();
    if (u != null) {
      size.decrementAndGet();
    }
    return u;
  }

  int size() {
    return Math.max(0, size.get());
  }

  /** The entries dropped for room since the last call. */
  int takeOverflowed() {
    return overflowed.getAndSet(0);
  }
}
