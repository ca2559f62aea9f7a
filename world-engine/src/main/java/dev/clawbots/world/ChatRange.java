package dev.clawbots.world;

import java.util.Locale;
import java.util.Optional;

/**
 * How far a spoken message carries. A private message (one with a recipient) ignores its range and
 * reaches the recipient anywhere.
 */
public enum ChatRange {
  WHISPER(10.0),
  NORMAL(20.0),
  SHOUT(100.0);

  private final double metres;

  ChatRange(double metres) {
    this.metres = metres;
  }

  /** The furthest a listener may stand from the speaker and still hear, inclusive. */
  public double metres() {
    return metres;
  }

  public boolean reaches(Vec3 speaker, Vec3 listener) {
    return speaker.distanceSquaredTo(listener) <= metres * metres;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ChatRange> fromWire(String name) {
    for (ChatRange r : values()) {
      if (r.wireName().equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
