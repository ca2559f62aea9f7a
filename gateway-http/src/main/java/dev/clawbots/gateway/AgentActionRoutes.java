package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.AuthFailure;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.region.Agent;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * An agent over REST: {@code POST /v1/agents/{id}/actions} (join, leave, move, speak, emote; an
 * action by an agent in no region first joins its default region), {@code GET
 * /v1/agents/{id}/perception}, both with that agent's token, and the public {@code GET
 * /v1/agents/{id}}. Everything an agent does goes through its entity ({@link Agent}), which keeps
 * it in one region at a time.
 */
final class AgentActionRoutes extends Authenticated {

  private final Services services;
  private final Gatekeeping gate;
  private final ApiMetrics metrics;
  private final AgentProfiles profiles;
  private final AgentCommands commands;

  AgentActionRoutes(Services services, Gatekeeping gate, ApiMetrics metrics) {
    super(gate.authenticator());
    this.services = services;
    this.gate = gate;
    this.metrics = metrics;
    this.profiles = new AgentProfiles(services.agents());
    this.commands = new AgentCommands(services.system(), services.defaultRegion());
  }

  Route route() {
    return pathPrefix(
        PathMatchers.segment("agents").slash(PathMatchers.segment()),
        agentId ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            get(
                                () ->
                                    metrics.measured(
                                        "GET /v1/agents/{agent_id}",
                                        () -> completeWithFuture(describe(agentId)))),
                            patch(
                                () ->
                                    metrics.measured(
                                        "PATCH /v1/agents/{agent_id}",
                                        () ->
                                            withPrincipal(
                                                p ->
                                                    entity(
                                                        Unmarshaller.entityToString(),
                                                        body ->
                                                            completeWithFuture(
                                                                settle(p, agentId, body)))))))),
                path(
                    "actions",
                    () ->
                        post(
                            () ->
                                metrics.measured(
                                    "POST /v1/agents/{agent_id}/actions",
                                    () ->
                                        withPrincipal(
                                            p ->
                                                entity(
                                                    Unmarshaller.entityToString(),
                                                    body ->
                                                        completeWithFuture(
                                                            act(p, agentId, body))))))),
                path(
                    "perception",
                    () ->
                        get(
                            () ->
                                metrics.measured(
                                    "GET /v1/agents/{agent_id}/perception",
                                    () ->
                                        withPrincipal(
                                            p -> completeWithFuture(perceive(p, agentId))))))));
  }

  private CompletionStage<HttpResponse> act(Principal principal, String agentId, String body) {
    ClientMessage message;
    try {
      message = ClientMessages.parse(body);
    } catch (ClientMessages.Unreadable bad) {
      return now(bad.error().response());
    }
    if (!(message instanceof ClientMessage.Action action)) {
      return now(
          ApiError.badRequest("type must be one of join, leave, move, speak, emote").response());
    }
    Optional<AuthFailure> refused =
        Authenticator.requireAgent(principal, agentId)
            .or(
                () ->
                    AgentCommands.permissionFor(action)
                        .flatMap(p -> Authenticator.requirePermission(principal, p)));
    if (refused.isPresent()) {
      return now(Authenticated.refusal(refused.get()));
    }
    return gate.limits()
        .acquire(agentId, "actions")
        .thenCompose(
            limited ->
                limited.isPresent()
                    ? now(limited.get().response())
                    : profiles
                        .find(agentId)
                        .thenCompose(
                            profile ->
                                profile.isEmpty()
                                    ? now(ApiError.notFound("no agent " + agentId).response())
                                    : commands
                                        .ask(
                                            agentId,
                                            commands.command(action, profile.get(), principal))
                                        .thenApply(AgentActionRoutes::accepted)))
        .exceptionally(Replies::unavailable);
  }

  /** The agent's own settings: today whether spectators may prompt it. */
  private CompletionStage<HttpResponse> settle(Principal principal, String agentId, String body) {
    Optional<AuthFailure> refused = Authenticator.requireAgent(principal, agentId);
    if (refused.isPresent()) {
      return now(Authenticated.refusal(refused.get()));
    }
    boolean allowed;
    try {
      allowed =
          RequestJson.parse(body)
              .optionalBoolean("prompts_allowed")
              .orElseThrow(() -> RequestJson.bad("prompts_allowed is required"));
    } catch (ApiError.Failure bad) {
      return now(bad.error().response());
    }
    return services
        .agents()
        .allowPrompts(agentId, allowed)
        .thenApply(
            known -> {
              if (!known) {
                return ApiError.notFound("no agent " + agentId).response();
              }
              Map<String, Object> settings = new LinkedHashMap<>();
              settings.put("agent_id", agentId);
              settings.put("prompts_allowed", allowed);
              return JsonResponses.ok(settings);
            })
        .exceptionally(Replies::unavailable);
  }

  private CompletionStage<HttpResponse> perceive(Principal principal, String agentId) {
    Optional<AuthFailure> refused = Authenticator.requireAgent(principal, agentId);
    if (refused.isPresent()) {
      return now(Authenticated.refusal(refused.get()));
    }
    return gate.limits()
        .acquire(agentId, "perception")
        .thenCompose(
            limited ->
                limited.isPresent()
                    ? now(limited.get().response())
                    : commands
                        .ask(agentId, AgentCommands.perceive())
                        .thenApply(
                            reply ->
                                reply instanceof RegionReply.Perceived p
                                    ? JsonResponses.ok(
                                        WireShapes.perception(p.perception(), services.clock()))
                                    : Replies.error(reply)))
        .exceptionally(Replies::unavailable);
  }

  private CompletionStage<HttpResponse> describe(String agentId) {
    // From the registry itself, not the profile cache: the statistics change with every event.
    return services
        .agents()
        .find(agentId)
        .thenCompose(
            profile -> {
              if (profile.isEmpty()) {
                return now(ApiError.notFound("no agent " + agentId).response());
              }
              return AskPattern.<Agent.Command, Agent.Whereabouts>ask(
                      commands.entity(agentId),
                      Agent.Where::new,
                      commands.askTimeout(),
                      services.system().scheduler())
                  .thenCompose(where -> withPosition(profile.get(), where.regionId()));
            })
        .exceptionally(Replies::unavailable);
  }

  private CompletionStage<HttpResponse> withPosition(AgentRecord agent, String regionId) {
    if (regionId == null) {
      return now(JsonResponses.ok(WireShapes.agent(agent, null, null)));
    }
    return services
        .regions()
        .ask(regionId, RegionCommand.View::new)
        .thenApply(
            reply -> {
              if (reply instanceof RegionReply.View v) {
                for (RegionReply.AgentView a : v.agents()) {
                  if (a.agentId().equals(agent.agentId())) {
                    return JsonResponses.ok(WireShapes.agent(agent, regionId, a.position()));
                  }
                }
              }
              return JsonResponses.ok(WireShapes.agent(agent, null, null));
            });
  }

  private static HttpResponse accepted(RegionReply reply) {
    return Replies.accepted(reply);
  }

  private static CompletionStage<HttpResponse> now(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
