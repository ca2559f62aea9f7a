package dev.clawbots.gateway.auth;

/**
 * What {@link Authenticator#authenticate} answers for a request: the caller's {@link Principal}, or
 * the {@link AuthFailure} to send back. Routes branch on it with {@code instanceof}.
 */
public sealed interface Authentication permits Principal, AuthFailure {}
