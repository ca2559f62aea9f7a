package dev.clawbots.persistence;

import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Revocations in Redis, where every node checks them in one round trip: {@code revoked:{jti}},
 * expiring with the token ({@code SET ... PXAT exp}), so Redis forgets a revocation exactly when it
 * stops mattering. Redis may lose them (a restart without persistence), so this is never the only
 * copy: see {@link RedisThenDatabaseRevocations}.
 */
public final class RedisRevocations implements Revocations {

  private final RedisLink link;
  private final RedisKeys keys;
  private final Clock clock;

  public RedisRevocations(RedisLink link, RedisKeys keys, Clock clock) {
    this.link = link;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> revoke(String jti, Instant expiresAt) {
    Revocations.checkJti(jti);
    return restore(Map.of(jti, expiresAt));
  }

  @Override
  public CompletionStage<Boolean> isRevoked(String jti) {
    Revocations.checkJti(jti);
    return link.call(r -> r.exists(keys.revoked(jti))).thenApply(n -> n == 1);
  }

  /**
   * Writes the given revocations, pipelined, leaving out those expired already; completes when all
   * are written, and fails if any is not.
   */
  public CompletionStage<Void> restore(Map<String, Instant> revoked) {
    Instant now = clock.instant();
    return link.call(
        r -> {
          List<CompletableFuture<String>> writes = new ArrayList<>(revoked.size());
          revoked.forEach(
              (jti, expiresAt) -> {
                if (expiresAt.isAfter(now)) {
                  writes.add(
                      r.set(keys.revoked(jti), "1", SetArgs.Builder.pxAt(expiresAt))
                          .toCompletableFuture());
                }
              });
          return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        });
  }
}
