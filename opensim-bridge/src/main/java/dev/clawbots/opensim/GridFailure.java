package dev.clawbots.opensim;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * What went wrong talking to the grid, told apart as {@code opensim.md} says: each kind is handled
 * differently, so that an outage is waited out, a stale relay URL waits for the script to register
 * again, and a configuration error is reported instead of retried.
 */
sealed interface GridFailure {

  String message();

  /** Connection refused, reset or timed out: the grid is down. */
  record Down(String message) implements GridFailure {}

  /** A wrong password, or fault -32601 (RemoteAdmin off, or the method not enabled). */
  record Misconfigured(String message) implements GridFailure {}

  /** The relay URL answered 404: the script's URL is gone (script reset, region restart). */
  record StaleRelay(String message) implements GridFailure {}

  /** The relay answered 500 "Script timeout": the script did not answer within 25 s. */
  record ScriptTimeout(String message) implements GridFailure {}

  /** Anything else: an answer we did not expect. */
  record Unexpected(String message) implements GridFailure {}

  /** The kind of failure a transport's exception means. */
  static GridFailure of(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof ConnectException || cause instanceof HttpTimeoutException) {
      return new Down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    if (cause instanceof IOException) {
      // A connection dropped mid-answer is an outage too (a grid being killed).
      return new Down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    return new Unexpected(String.valueOf(cause));
  }
}
