package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.IssuedToken;
import dev.clawbots.gateway.auth.TokenKind;
import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.world.Permission;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * {@code POST /v1/agents}: registration. The agent gets an id, an API key shown this once (only its
 * argon2 hash is kept) and a first token. Limited per client address.
 */
final class AgentRoutes extends AllDirectives {

  static final int MAX_NAME_BYTES = 128;
  static final int MAX_DESCRIPTION_BYTES = 1024;
  static final int MAX_AVATAR_BYTES = 2048;
  static final int MAX_OWNER_BYTES = 128;

  private final Services services;
  private final Gatekeeping gate;
  private final ApiMetrics metrics;

  AgentRoutes(Services services, Gatekeeping gate, ApiMetrics metrics) {
    this.services = services;
    this.gate = gate;
    this.metrics = metrics;
  }

  Route route() {
    return path(
        "agents",
        () ->
            post(
                () ->
                    metrics.measured(
                        "POST /v1/agents",
                        () ->
                            extractClientIP(
                                ip ->
                                    entity(
                                        Unmarshaller.entityToString(),
                                        body -> completeWithFuture(register(ip, body)))))));
  }

  /** What a registration asks for, checked. */
  private record Registration(
      String name,
      Optional<String> description,
      Optional<String> avatar,
      Optional<String> ownerId,
      Optional<String> defaultRegion,
      boolean promptsAllowed) {}

  private CompletionStage<HttpResponse> register(RemoteAddress ip, String body) {
    Registration r;
    try {
      r = read(body);
    } catch (ApiError.Failure bad) {
      return CompletableFuture.completedFuture(bad.error().response());
    }
    return gate.limits()
        .acquire(Gatekeeping.address(ip), "registration")
        .thenCompose(
            refused ->
                refused.isPresent()
                    ? CompletableFuture.completedFuture(refused.get().response())
                    : store(r))
        .exceptionally(Replies::unavailable);
  }

  private Registration read(String body) {
    RequestJson json = RequestJson.parse(body);
    Registration r =
        new Registration(
            json.text("name", MAX_NAME_BYTES),
            json.optionalText("description", MAX_DESCRIPTION_BYTES),
            json.optionalText("avatar", MAX_AVATAR_BYTES),
            json.optionalText("owner_id", MAX_OWNER_BYTES),
            json.optionalText("default_region", 64),
            json.optionalBoolean("prompts_allowed").orElse(true));
    r.defaultRegion()
        .filter(id -> services.map().spec(id).isEmpty())
        .ifPresent(
            id -> {
              throw RequestJson.bad("default_region " + id + " is not a region of this world");
            });
    return r;
  }

  private CompletionStage<HttpResponse> store(Registration r) {
    String agentId = UUID.randomUUID().toString();
    String apiKey = gate.apiKeys().generate();
    return gate.hashing()
        .run(() -> gate.apiKeys().hash(apiKey))
        .thenCompose(
            hash ->
                services
                    .agents()
                    .register(
                        new AgentRecord(
                            agentId,
                            r.name(),
                            r.description().orElse(null),
                            r.avatar().orElse(null),
                            r.ownerId().orElse(null),
                            r.defaultRegion().orElse(null),
                            hash,
                            Permission.DEFAULTS,
                            r.promptsAllowed(),
                            Instant.now(),
                            null,
                            0,
                            0)))
        .thenApply(
            agent -> {
              IssuedToken token =
                  gate.tokens().issue(TokenKind.AGENT, agent.agentId(), agent.permissions());
              Map<String, Object> created = new LinkedHashMap<>();
              created.put("agent_id", agent.agentId());
              created.put("api_key", apiKey);
              created.put("token", token.token());
              created.put("expires_at", token.expiresAt());
              return JsonResponses.of(StatusCodes.CREATED, created);
            });
  }
}
