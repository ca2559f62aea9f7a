package dev.clawbots.persistence;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Rate limits counted in Redis, shared by every node: the counter {@code
 * ratelimit:{agent}:{action}} expires when its window ends. One acquisition is one round trip,
 * atomic: a Lua script increments the counter, gives a new one its expiry, and answers with the
 * count and the time left ({@link #SCRIPT}). It is sent by its SHA-1 ({@code EVALSHA}), and in full
 * ({@code EVAL}, which also caches it) only when Redis does not know it: after a Redis restart, or
 * the first time.
 */
public final class RedisRateLimiter implements RateLimiter {

  /**
   * KEYS[1] the counter, ARGV[1] the window in ms. A counter without an expiry is new (or was
   * written by something else): it gets the window's, so that no counter lives forever.
   */
  static final String SCRIPT =
      """
      local count = redis.call('INCR', KEYS[1])
      local ttl = redis.call('PTTL', KEYS[1])
      if ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        ttl = tonumber(ARGV[1])
      end
      return {count, ttl}
      """;

  private static final String SHA = sha1(SCRIPT);

  private final RedisLink link;
  private final RedisKeys keys;

  public RedisRateLimiter(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
  }

  @Override
  public CompletionStage<RateDecision> tryAcquire(
      String agentId, String action, int limit, Duration window) {
    RateDecision.checkLimit(limit, window);
    String[] key = {keys.ratelimit(agentId, action)};
    String length = Long.toString(window.toMillis());
    return link.<List<Object>>call(r -> r.evalsha(SHA, ScriptOutputType.MULTI, key, length))
        .exceptionallyCompose(
            failure ->
                cause(failure) instanceof RedisNoScriptException
                    ? link.<List<Object>>call(
                        r -> r.eval(SCRIPT, ScriptOutputType.MULTI, key, length))
                    : CompletableFuture.failedFuture(failure))
        .thenApply(
            reply ->
                RateDecision.counted(
                    (Long) reply.get(0), limit, Duration.ofMillis((Long) reply.get(1))));
  }

  private static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
