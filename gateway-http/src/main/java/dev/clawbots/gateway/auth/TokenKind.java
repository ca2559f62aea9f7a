package dev.clawbots.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a token speaks for, its {@code kind} claim. Kept in the token rather than looked up, so that
 * a request is authorised without a database read: an agent acts in the world, a spectator only
 * watches and prompts.
 */
public enum TokenKind {
  AGENT,
  SPECTATOR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TokenKind> fromWire(String name) {
    for (TokenKind k : values()) {
      if (k.wireName().equals(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
