package dev.clawbots.gateway.auth;

/**
 * What {@link Tokens#verify} answers: the {@link Principal} a valid token names, or why the token
 * was {@link TokenRejected rejected}. A value rather than an exception, so that a refused token,
 * which is ordinary traffic, costs no stack trace and cannot be forgotten by a caller.
 */
public sealed interface TokenCheck permits Principal, TokenRejected {}
