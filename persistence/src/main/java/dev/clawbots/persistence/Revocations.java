package dev.clawbots.persistence;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Revoked tokens, by their {@code jti}: {@code POST /v1/auth/revoke} revokes the caller's token,
 * and every node refuses it from then on. A revocation is kept until the token's own expiry; after
 * that the token is refused for its {@code exp} anyway, and the revocation may be forgotten.
 */
public interface Revocations {

  /** The longest {@code jti} a store keeps (the width of {@code revoked_tokens.jti}). */
  int MAX_JTI_LENGTH = 64;

  /**
   * Revokes a token until {@code expiresAt}, its {@code exp}. Revoking a token twice, or one that
   * has expired, is not an error.
   *
   * @throws IllegalArgumentException when {@code jti} is empty or longer than {@link
   *     #MAX_JTI_LENGTH}
   */
  CompletionStage<Void> revoke(String jti, Instant expiresAt);

  /** Whether the token has been revoked and has not expired yet. */
  CompletionStage<Boolean> isRevoked(String jti);

  /** Rejects a {@code jti} that no store keeps. */
  static void checkJti(String jti) {
    if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
      throw new IllegalArgumentException(
          "jti must have 1 to " + MAX_JTI_LENGTH + " characters, not " + jti);
    }
  }
}
