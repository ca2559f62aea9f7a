package dev.clawbots.gateway.auth;

import dev.clawbots.persistence.Revocations;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Revocations in a map, for tests; {@link #failing} makes every check fail as a store outage. */
final class InMemoryRevocations implements Revocations {

  final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  volatile boolean failing;

  @Override
  public CompletionStage<Void> revoke(String jti, Instant expiresAt) {
    Revocations.checkJti(jti);
    revoked.put(jti, expiresAt);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> isRevoked(String jti) {
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("store down"));
    }
    return CompletableFuture.completedFuture(revoked.containsKey(jti));
  }
}
