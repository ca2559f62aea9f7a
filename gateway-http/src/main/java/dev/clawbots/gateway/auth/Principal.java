package dev.clawbots.gateway.auth;

import dev.clawbots.world.Permission;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Whom a verified token speaks for: what the gateway knows about a caller once its token has been
 * checked, so that later checks ({@link Authenticator#requireAgent}, {@link
 * Authenticator#requirePermission}) need nothing but this value.
 *
 * @param subject the agent or spectator id, the token's {@code sub}
 * @param permissions what the token lets its agent do; always empty for a spectator
 * @param jti the token's own id, by which it is revoked
 * @param expiresAt the token's {@code exp}, until which a revocation must be kept
 * @param name a spectator's display name, from its token's {@code name} claim; null for agents
 */
public record Principal(
    TokenKind kind,
    String subject,
    Set<Permission> permissions,
    String jti,
    Instant expiresAt,
    String name)
    implements TokenCheck, Authentication {

  public Principal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(jti, "jti");
    Objects.requireNonNull(expiresAt, "expiresAt");
    permissions = Set.copyOf(permissions);
  }

  public Principal(
      TokenKind kind, String subject, Set<Permission> permissions, String jti, Instant expiresAt) {
    this(kind, subject, permissions, jti, expiresAt, null);
  }

  /** Whether this is an agent's token that may do {@code permission}. */
  public boolean may(Permission permission) {
    return kind == TokenKind.AGENT && permissions.contains(permission);
  }
}
