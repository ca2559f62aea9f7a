package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.IssuedToken;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/spectators}: a spectator's id and token, for prompting agents (watching needs
 * none). Spectators are not stored: the token carries the name, and {@code spectator_sessions}
 * records what they watch. Limited per client address ({@code spectator-registration}).
 */
final class SpectatorRoutes extends AllDirectives {

  static final int MAX_NAME_BYTES = 128;

  private final Gatekeeping gate;
  private final ApiMetrics metrics;

  SpectatorRoutes(Gatekeeping gate, ApiMetrics metrics) {
    this.gate = gate;
    this.metrics = metrics;
  }

  Route route() {
    return path(
        "spectators",
        () ->
            post(
                () ->
                    metrics.measured(
                        "POST /v1/spectators",
                        () ->
                            extractClientIP(
                                ip ->
                                    entity(
                                        Unmarshaller.entityToString(),
                                        body -> completeWithFuture(register(ip, body)))))));
  }

  private CompletionStage<HttpResponse> register(RemoteAddress ip, String body) {
    String name;
    try {
      name = RequestJson.parse(body).text("name", MAX_NAME_BYTES);
    } catch (ApiError.Failure bad) {
      return CompletableFuture.completedFuture(bad.error().response());
    }
    return gate.limits()
        .acquire(Gatekeeping.address(ip), "spectator-registration")
        .thenApply(
            refused -> {
              if (refused.isPresent()) {
                return refused.get().response();
              }
              String id = UUID.randomUUID().toString();
              IssuedToken token = gate.tokens().issueSpectator(id, name);
              Map<String, Object> created = new LinkedHashMap<>();
              created.put("spectator_id", id);
              created.put("token", token.token());
              created.put("expires_at", token.expiresAt());
              return JsonResponses.of(StatusCodes.CREATED, created);
            })
        .exceptionally(Replies::unavailable);
  }
}
