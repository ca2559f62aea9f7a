package dev.clawbots.world;

import java.util.Locale;
import java.util.Optional;

/**
 * The named emotes every client can rely on. An emote is either one of these names or free text
 * (see {@link DecisionRules}).
 */
public enum Gesture {
  WAVE,
  NOD,
  BOW,
  LAUGH,
  SHRUG,
  POINT,
  DANCE,
  SIT,
  STAND;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Gesture> fromWire(String name) {
    for (Gesture g : values()) {
      if (g.wireName().equals(name)) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }
}
