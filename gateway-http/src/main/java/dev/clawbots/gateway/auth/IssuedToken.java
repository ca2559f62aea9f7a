package dev.clawbots.gateway.auth;

import java.time.Instant;

/**
 * A freshly signed token and when it stops being valid: the {@code token} and {@code expires_at} of
 * the contract's token responses.
 */
public record IssuedToken(String token, Instant expiresAt) {}
