package dev.clawbots.world;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an agent may do in the world. Join, leave and perception need no permission. */
public enum Permission {
  MOVE,
  SPEAK,
  EMOTE;

  /** The permissions of a newly registered agent. */
  public static final Set<Permission> DEFAULTS = Set.of(MOVE, SPEAK, EMOTE);

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Permission> fromWire(String name) {
    for (Permission p : values()) {
      if (p.wireName().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
