package dev.clawbots.opensim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The relay script's side of the protocol ({@code docs/opensim.md}): a batch is POSTed to the
 * script's HTTP-in URL as {@code {"batch": n, "cmds": [[...], ...]}}, and the script answers {@code
 * {"batch": n, "results": [...]}}, one result per command, in order.
 */
final class RelayLink {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The JSON of a batch without commands, to count what each command adds to it. */
  private static final int EMPTY_BATCH_BYTES = "{\"batch\":2147483647,\"cmds\":[]}".length();

  /** The header the script checks, so that whoever learns its URL still cannot drive its NPCs. */
  static final String SECRET_HEADER = "x-clawbots-secret";

  private final GridTransport transport;
  private final Duration timeout;
  private final String secret;

  RelayLink(GridTransport transport, Duration timeout, String secret) {
    this.transport = transport;
    this.timeout = timeout;
    this.secret = secret;
  }

  /** The batch's body. */
  static String body(int batch, List<RelayCommand> commands) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("batch", batch);
    List<List<Object>> cmds = new ArrayList<>();
    commands.forEach(c -> cmds.add(c.wire()));
    b.put("cmds", cmds);
    try {
      return JSON.writeValueAsString(b);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The UTF-8 bytes {@code command} adds to a batch (with its comma). */
  static int bytesOf(RelayCommand command) {
    try {
      return JSON.writeValueAsString(command.wire()).getBytes(StandardCharsets.UTF_8).length + 1;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static int emptyBatchBytes() {
    return EMPTY_BATCH_BYTES;
  }

  /** Sends a batch; the script's results, one per command. */
  CompletableFuture<GridReply<List<String>>> send(URI relay, int batch, List<RelayCommand> cmds) {
    return transport
        .post(relay, "application/json", Map.of(SECRET_HEADER, secret), body(batch, cmds), timeout)
        .handle(
            (answer, error) ->
                error != null
                    ? new GridReply.Failed<List<String>>(GridFailure.of(error))
                    : judge(answer, cmds.size()));
  }

  private static GridReply<List<String>> judge(GridTransport.Answer answer, int expected) {
    if (answer.status() == 404) {
      return new GridReply.Failed<>(
          new GridFailure.StaleRelay("the relay URL is gone (404): waiting for it to register"));
    }
    if (answer.status() == 500 && answer.body() != null && answer.body().contains("timeout")) {
      return new GridReply.Failed<>(
          new GridFailure.ScriptTimeout("the relay script did not answer in 25 s"));
    }
    if (answer.status() != 200) {
      return new GridReply.Failed<>(
          new GridFailure.Unexpected("the relay answered HTTP " + answer.status()));
    }
    try {
      JsonNode results = JSON.readTree(answer.body()).get("results");
      if (results == null || !results.isArray() || results.size() != expected) {
        return new GridReply.Failed<>(
            new GridFailure.Unexpected(
                "the relay answered " + answer.body() + " to " + expected + " commands"));
      }
      List<String> out = new ArrayList<>();
      results.forEach(r -> out.add(r.asText()));
      return new GridReply.Ok<>(out);
    } catch (JsonProcessingException e) {
      return new GridReply.Failed<>(
          new GridFailure.Unexpected("the relay answered something other than JSON"));
    }
  }
}
