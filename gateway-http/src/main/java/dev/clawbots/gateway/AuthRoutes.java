package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.AuthFailure;
import dev.clawbots.gateway.auth.IssuedToken;
import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.gateway.auth.TokenKind;
import dev.clawbots.persistence.AgentRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code /v1/auth}: an API key exchanged for a token, a token renewed, a token revoked on every
 * node. A wrong key and an unknown agent are the same 401, answered in the same time, and both
 * count against the agent's and the address's {@code token} limit.
 */
final class AuthRoutes extends Authenticated {

  private final Services services;
  private final Gatekeeping gate;
  private final ApiMetrics metrics;

  AuthRoutes(Services services, Gatekeeping gate, ApiMetrics metrics) {
    super(gate.authenticator());
    this.services = services;
    this.gate = gate;
    this.metrics = metrics;
  }

  Route route() {
    return pathPrefix(
        "auth",
        () ->
            concat(
                path(
                    "token",
                    () ->
                        post(
                            () ->
                                metrics.measured(
                                    "POST /v1/auth/token",
                                    () ->
                                        extractClientIP(
                                            ip ->
                                                entity(
                                                    Unmarshaller.entityToString(),
                                                    body ->
                                                        completeWithFuture(exchange(ip, body))))))),
                path(
                    "refresh",
                    () ->
                        post(
                            () ->
                                metrics.measured(
                                    "POST /v1/auth/refresh",
                                    () -> withPrincipal(p -> completeWithFuture(refresh(p)))))),
                path(
                    "revoke",
                    () ->
                        post(
                            () ->
                                metrics.measured(
                                    "POST /v1/auth/revoke",
                                    () -> withPrincipal(p -> completeWithFuture(revoke(p))))))));
  }

  private CompletionStage<HttpResponse> exchange(RemoteAddress ip, String body) {
    String agentId;
    String apiKey;
    try {
      RequestJson json = RequestJson.parse(body);
      agentId = json.text("agent_id", 64);
      apiKey = json.text("api_key", 256);
    } catch (ApiError.Failure bad) {
      return CompletableFuture.completedFuture(bad.error().response());
    }
    return gate.limits()
        .acquire(Gatekeeping.address(ip), "token")
        .thenCombine(gate.limits().acquire(agentId, "token"), (a, b) -> a.or(() -> b))
        .thenCompose(
            refused ->
                refused.isPresent()
                    ? CompletableFuture.completedFuture(refused.get().response())
                    : services
                        .agents()
                        .find(agentId)
                        .thenCompose(agent -> gate.hashing().run(() -> checkKey(agent, apiKey)))
                        .thenCompose(response -> response))
        .exceptionally(Replies::unavailable);
  }

  private CompletionStage<HttpResponse> checkKey(Optional<AgentRecord> agent, String apiKey) {
    boolean valid =
        agent.isPresent()
            ? gate.apiKeys().verify(apiKey, agent.get().apiKeyHash())
            : gate.apiKeys().verifyForUnknownAgent(apiKey);
    if (!valid) {
      return CompletableFuture.completedFuture(
          Authenticated.refusal(AuthFailure.unauthorized("unknown agent_id or wrong api_key")));
    }
    AgentRecord a = agent.get();
    return CompletableFuture.completedFuture(
        JsonResponses.ok(
            token(gate.tokens().issue(TokenKind.AGENT, a.agentId(), a.permissions()))));
  }

  private CompletionStage<HttpResponse> refresh(Principal principal) {
    if (principal.kind() == TokenKind.SPECTATOR) {
      IssuedToken renewed = gate.tokens().issue(TokenKind.SPECTATOR, principal.subject(), Set.of());
      return CompletableFuture.completedFuture(JsonResponses.ok(token(renewed)));
    }
    // Permissions come from the registry, so that a renewed token carries what the agent may do
    // now rather than what it could do a day ago.
    return services
        .agents()
        .find(principal.subject())
        .thenApply(
            agent ->
                agent
                    .map(
                        a ->
                            JsonResponses.ok(
                                token(
                                    gate.tokens()
                                        .issue(TokenKind.AGENT, a.agentId(), a.permissions()))))
                    .orElseGet(
                        () ->
                            Authenticated.refusal(
                                AuthFailure.unauthorized("the token's agent no longer exists"))))
        .exceptionally(Replies::unavailable);
  }

  private CompletionStage<HttpResponse> revoke(Principal principal) {
    return authenticator()
        .revoke(principal)
        .thenApply(done -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT))
        .exceptionally(Replies::unavailable);
  }

  static Map<String, Object> token(IssuedToken issued) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", issued.token());
    body.put("expires_at", issued.expiresAt());
    return body;
  }
}
