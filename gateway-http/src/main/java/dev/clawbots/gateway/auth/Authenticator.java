package dev.clawbots.gateway.auth;

import dev.clawbots.persistence.Revocations;
import dev.clawbots.world.Permission;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a request carries (an {@code Authorization} header, or a {@code ?token=} for browsers'
 * WebSockets) into the caller's {@link Principal} or the contract's error, and holds the rules of
 * what a principal may do. In one place, so that every route and both WebSockets refuse the same
 * things with the same codes: 401 for no usable token (missing, malformed, forged, expired,
 * revoked), 403 for a valid token that may not do this.
 *
 * <p>The header is {@code Bearer <token>}. The scheme is matched without regard to case ({@code
 * bearer} works: HTTP auth schemes are case-insensitive, RFC 9110 §11.1), one or more spaces may
 * separate it from the token, and whitespace around the value is ignored; anything else, another
 * scheme or a token containing spaces, is refused as malformed.
 */
public final class Authenticator {

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  private static final String BEARER = "bearer";

  private final Tokens tokens;
  private final Revocations revocations;

  public Authenticator(Tokens tokens, Revocations revocations) {
    this.tokens = tokens;
    this.revocations = revocations;
  }

  /**
   * The caller of a request, from its {@code Authorization} header value or its {@code token} query
   * parameter. Sending both is allowed only when they carry the same token. Never completes
   * exceptionally: a revocation store that cannot answer gives {@link
   * AuthFailure.Code#UNAVAILABLE}.
   */
  public CompletionStage<Authentication> authenticate(
      Optional<String> authorization, Optional<String> queryToken) {
    Optional<String> fromHeader = Optional.empty();
    if (authorization.isPresent()) {
      fromHeader = bearerToken(authorization.get());
      if (fromHeader.isEmpty()) {
        return done(AuthFailure.unauthorized("the Authorization header must be 'Bearer <token>'"));
      }
    }
    if (fromHeader.isPresent() && queryToken.isPresent()) {
      if (!fromHeader.get().equals(queryToken.get())) {
        return done(
            AuthFailure.unauthorized(
                "the Authorization header and ?token= carry different tokens; send one"));
      }
    }
    Optional<String> token = fromHeader.or(() -> queryToken);
    if (token.isEmpty()) {
      return done(
          AuthFailure.unauthorized(
              "this needs a token: send 'Authorization: Bearer <token>' (or ?token= on a"
                  + " WebSocket)"));
    }
    TokenCheck check = tokens.verify(token.get());
    if (check instanceof TokenRejected rejected) {
      return done(AuthFailure.unauthorized(rejected.message()));
    }
    Principal principal = (Principal) check;
    CompletionStage<Boolean> revoked;
    try {
      revoked = revocations.isRevoked(principal.jti());
    } catch (RuntimeException e) {
      revoked = CompletableFuture.failedFuture(e);
    }
    return revoked.handle(
        (isRevoked, error) -> {
          if (error != null) {
            log.warn("Cannot check whether token {} is revoked", principal.jti(), error);
            return new AuthFailure(
                AuthFailure.Code.UNAVAILABLE, "cannot check the token just now; try again shortly");
          }
          if (isRevoked) {
            return AuthFailure.unauthorized("the token has been revoked");
          }
          return principal;
        });
  }

  /**
   * Revokes the principal's token on every node, until its expiry ({@code POST /v1/auth/revoke}).
   */
  public CompletionStage<Void> revoke(Principal principal) {
    return revocations.revoke(principal.jti(), principal.expiresAt());
  }

  /** Refuses (403) a token of another kind. */
  public static Optional<AuthFailure> requireKind(Principal principal, TokenKind kind) {
    if (principal.kind() != kind) {
      return Optional.of(
          AuthFailure.forbidden(
              "this needs " + article(kind) + " token, not " + article(principal.kind()) + "'s"));
    }
    return Optional.empty();
  }

  /**
   * Refuses (403) any token but {@code agentId}'s own: an agent token acts for its own agent only,
   * and a spectator token for none.
   */
  public static Optional<AuthFailure> requireAgent(Principal principal, String agentId) {
    Optional<AuthFailure> wrongKind = requireKind(principal, TokenKind.AGENT);
    if (wrongKind.isPresent()) {
      return wrongKind;
    }
    if (!principal.subject().equals(agentId)) {
      return Optional.of(
          AuthFailure.forbidden(
              "this token acts for agent " + principal.subject() + " only, not " + agentId));
    }
    return Optional.empty();
  }

  /**
   * Refuses (403) a token that may not do {@code permission}. A spectator token never moves, speaks
   * or emotes, whatever it carries.
   */
  public static Optional<AuthFailure> requirePermission(
      Principal principal, Permission permission) {
    if (principal.kind() != TokenKind.AGENT) {
      return Optional.of(
          AuthFailure.forbidden("a spectator token cannot " + permission.wireName()));
    }
    if (!principal.may(permission)) {
      return Optional.of(
          AuthFailure.forbidden(
              "agent "
                  + principal.subject()
                  + " does not have the '"
                  + permission.wireName()
                  + "' permission"));
    }
    return Optional.empty();
  }

  /**
   * {@link #requireAgent} and then {@link #requirePermission}: what a move, speak or emote needs.
   */
  public static Optional<AuthFailure> requireAction(
      Principal principal, String agentId, Permission permission) {
    return requireAgent(principal, agentId).or(() -> requirePermission(principal, permission));
  }

  /** The token in a {@code Bearer} header value, or empty when the value is not one. */
  static Optional<String> bearerToken(String headerValue) {
    String value = headerValue.strip();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return Optional.empty();
    }
    String token = value.substring(space + 1).stripLeading();
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      return Optional.empty();
    }
    return Optional.of(token);
  }

  private static String article(TokenKind kind) {
    return kind == TokenKind.AGENT ? "an agent" : "a spectator";
  }

  private static CompletionStage<Authentication> done(Authentication result) {
    return CompletableFuture.completedFuture(result);
  }
}
