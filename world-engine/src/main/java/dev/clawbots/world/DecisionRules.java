package dev.clawbots.world;

import java.util.regex.Pattern;

/**
 * The checks a decision must pass on its own, before the region looks at who is in it. Each returns
 * null when the input is fine, or the rejection a client sees.
 */
public final class DecisionRules {

  /** Longest spoken message, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 1024;

  /** Longest free-text emote, in UTF-8 bytes. */
  public static final int MAX_EMOTE_BYTES = 256;

  /** Longest agent name, in characters. */
  public static final int MAX_NAME_CHARS = 64;

  /**
   * How far past the region a move target may lie: one region's width on every side, so a walk
   * reaches at most into a neighbour's neighbour.
   */
  public static final double TARGET_REACH = RegionBounds.SIZE;

  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  // A lone lower-case word names a gesture; anything else is free text.
  private static final Pattern GESTURE_WORD = Pattern.compile("[a-z_]+");

  private DecisionRules() {}

  static Rejection check(Decision d) {
    if (d == null) {
      return new Rejection(RejectionReason.INVALID_ID, "no decision given");
    }
    Rejection r = agentId(d.agentId(), "agent id");
    if (r != null) {
      return r;
    }
    if (d instanceof Decision.Join j) {
      return join(j);
    } else if (d instanceof Decision.Move m) {
      return move(m.to(), m.speed());
    } else if (d instanceof Decision.Speak s) {
      return speak(s);
    } else if (d instanceof Decision.Emote e) {
      return emote(e.emote());
    } else if (d instanceof Decision.CrossIn c) {
      return crossIn(c.crossing());
    }
    return null;
  }

  static Rejection agentId(String id, String what) {
    if (id == null || !AGENT_ID.matcher(id).matches()) {
      return new Rejection(
          RejectionReason.INVALID_ID, what + " must be 1 to 64 of A-Z a-z 0-9 _ . : -");
    }
    return null;
  }

  static Rejection name(String name) {
    if (name == null || name.isBlank()) {
      return new Rejection(RejectionReason.INVALID_NAME, "name must not be empty");
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
      return new Rejection(
          RejectionReason.INVALID_NAME, "name is longer than " + MAX_NAME_CHARS + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return new Rejection(RejectionReason.INVALID_NAME, "name must not hold control characters");
    }
    return null;
  }

  static Rejection position(Vec3 p, String what) {
    if (p == null) {
      return new Rejection(RejectionReason.NOT_A_NUMBER, what + " is missing");
    }
    if (!p.isFinite()) {
      return new Rejection(RejectionReason.NOT_A_NUMBER, what + " must be finite numbers: " + p);
    }
    if (!RegionBounds.contains(p)) {
      return new Rejection(
          RejectionReason.OUT_OF_BOUNDS, what + " must satisfy 0 <= x,y < 256 and 0 <= z <= 4096");
    }
    return null;
  }

  static Rejection target(Vec3 to) {
    if (to == null) {
      return new Rejection(RejectionReason.NOT_A_NUMBER, "target is missing");
    }
    if (!to.isFinite()) {
      return new Rejection(RejectionReason.NOT_A_NUMBER, "target must be finite numbers: " + to);
    }
    boolean reachable =
        to.x() >= -TARGET_REACH
            && to.x() < RegionBounds.SIZE + TARGET_REACH
            && to.y() >= -TARGET_REACH
            && to.y() < RegionBounds.SIZE + TARGET_REACH
            && to.z() >= 0
            && to.z() <= RegionBounds.MAX_Z;
    if (!reachable) {
      return new Rejection(
          RejectionReason.OUT_OF_BOUNDS,
          "target must satisfy -256 <= x,y < 512 (at most one region away) and 0 <= z <= 4096");
    }
    return null;
  }

  static Rejection speed(double speed) {
    if (!Double.isFinite(speed)) {
      return new Rejection(RejectionReason.NOT_A_NUMBER, "speed must be a finite number");
    }
    if (speed <= 0 || speed > Walk.MAX_SPEED) {
      return new Rejection(
          RejectionReason.SPEED_OUT_OF_RANGE,
          "speed must be above 0 and at most " + Walk.MAX_SPEED + " m/s, was " + speed);
    }
    return null;
  }

  /** The number of bytes {@code s} takes in UTF-8, counted without encoding it. */
  public static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        // A lone surrogate is encoded as '?' by Java's encoder; count the replacement.
        bytes += Character.isSurrogate(c) ? 1 : 3;
      }
    }
    return bytes;
  }

  private static Rejection join(Decision.Join j) {
    Rejection r = name(j.name());
    if (r == null && j.position() != null) {
      r = position(j.position(), "position");
    }
    if (r == null && j.permissions() == null) {
      r = new Rejection(RejectionReason.PERMISSION_DENIED, "permissions are missing");
    }
    return r;
  }

  private static Rejection move(Vec3 to, Double speed) {
    Rejection r = target(to);
    if (r == null && speed != null) {
      r = speed(speed);
    }
    return r;
  }

  private static Rejection speak(Decision.Speak s) {
    String text = s.text();
    if (text == null || text.isBlank()) {
      return new Rejection(RejectionReason.EMPTY_TEXT, "text must not be empty");
    }
    int bytes = utf8Length(text);
    if (bytes > MAX_TEXT_BYTES) {
      return new Rejection(
          RejectionReason.TEXT_TOO_LONG,
          "text is " + bytes + " UTF-8 bytes, more than " + MAX_TEXT_BYTES);
    }
    return s.to() == null ? null : agentId(s.to(), "recipient id");
  }

  private static Rejection emote(String emote) {
    if (emote == null || emote.isBlank()) {
      return new Rejection(RejectionReason.EMPTY_TEXT, "emote must not be empty");
    }
    if (GESTURE_WORD.matcher(emote).matches()) {
      return Gesture.fromWire(emote).isPresent()
          ? null
          : new Rejection(
              RejectionReason.UNKNOWN_EMOTE,
              "unknown emote '"
                  + emote
                  + "': use wave, nod, bow, laugh, shrug, point, dance, sit or stand,"
                  + " or free text of more than one word");
    }
    int bytes = utf8Length(emote);
    if (bytes > MAX_EMOTE_BYTES) {
      return new Rejection(
          RejectionReason.TEXT_TOO_LONG,
          "emote is " + bytes + " UTF-8 bytes, more than " + MAX_EMOTE_BYTES);
    }
    return null;
  }

  private static Rejection crossIn(Crossing c) {
    if (c == null || c.edge() == null || c.permissions() == null) {
      return new Rejection(RejectionReason.INVALID_ID, "crossing is incomplete");
    }
    Rejection r = name(c.name());
    if (r == null) {
      r = position(c.entry(), "entry");
    }
    if (r == null) {
      r = target(c.target());
    }
    if (r == null) {
      r = speed(c.speed());
    }
    return r;
  }
}
