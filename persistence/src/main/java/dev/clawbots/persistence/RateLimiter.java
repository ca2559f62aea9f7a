package dev.clawbots.persistence;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Fixed-window rate limits per agent and action (the contract's defaults: 60 actions a minute, 120
 * perception queries, ...). A window opens at the first acquisition of an {@code (agentId, action)}
 * pair and lasts {@code window}; within it the first {@code limit} acquisitions are allowed and the
 * rest refused until it ends. Refused acquisitions count too, but never extend the window.
 *
 * <p>{@code agentId} is whoever is limited: an agent, a spectator, or a client address for
 * registration.
 */
public interface RateLimiter {

  /**
   * Counts one acquisition and says whether it is allowed.
   *
   * @param limit acquisitions allowed per window, at least 1
   * @param window the window's length, at least 1 ms; the one given when the window opened holds
   *     until it ends
   */
  CompletionStage<RateDecision> tryAcquire(
      String agentId, String action, int limit, Duration window);
}
