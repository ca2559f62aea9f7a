package dev.clawbots.opensim;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How the bridge sends a request to the grid: RemoteAdmin's XML-RPC and the relay script's batches
 * are both one POST and one answer. Must never block the caller; the answer completes later.
 */
interface GridTransport {

  /** An answer as it came: any status, the body as text. */
  record Answer(int status, String body) {}

  /**
   * POSTs {@code body}; the future fails with a {@link java.net.ConnectException} or {@link
   * java.net.http.HttpTimeoutException} when the grid cannot be reached in {@code timeout}.
   */
  CompletableFuture<Answer> post(
      URI uri, String contentType, Map<String, String> headers, String body, Duration timeout);
}
