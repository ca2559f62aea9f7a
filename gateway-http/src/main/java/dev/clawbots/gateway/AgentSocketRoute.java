package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.AuthFailure;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.gateway.auth.TokenKind;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * {@code GET /v1/ws/agent}: the agent WebSocket. The handshake is refused with the contract's error
 * body before any socket opens: a browser from an origin not allowed (403), no or a bad token
 * (401), a spectator's token (403), too many connections (429). An accepted socket gets its own
 * {@link AgentConnection}.
 */
final class AgentSocketRoute extends Authenticated {

  private static final AtomicLong connections = new AtomicLong();

  private final ActorSystem<?> system;
  private final Gatekeeping gate;
  private final ApiMetrics metrics;
  private final AgentConnection.Wiring wiring;
  private final Materializer materializer;

  AgentSocketRoute(Services services, Gatekeeping gate, ApiMetrics metrics, SocketCounter counter) {
    super(gate.authenticator());
    this.system = services.system();
    this.gate = gate;
    this.metrics = metrics;
    SocketSettings settings = SocketSettings.from(system.settings().config());
    this.wiring =
        new AgentConnection.Wiring(
            services,
            gate,
            new AgentCommands(system, services.defaultRegion()),
            new AgentProfiles(services.agents()),
            settings,
            counter);
    this.materializer = Materializer.matFromSystem(system);
  }

  Route route() {
    return path(
        PathMatchers.segment("ws").slash("agent"),
        () ->
            get(
                () ->
                    metrics.measured(
                        "GET /v1/ws/agent",
                        () ->
                            optionalHeaderValueByName(
                                "Origin",
                                origin ->
                                    wiring
                                        .settings()
                                        .originRefusal(origin, "agent")
                                        .map(this::complete)
                                        .orElseGet(() -> authenticated())))));
  }

  private Route authenticated() {
    return extractWebSocketUpgrade(
        upgrade ->
            optionalHeaderValueByName(
                "Authorization",
                header ->
                    parameterOptional(
                        "token",
                        query ->
                            withPrincipal(
                                principal -> {
                                  Optional<AuthFailure> refused =
                                      Authenticator.requireKind(principal, TokenKind.AGENT);
                                  if (refused.isPresent()) {
                                    return complete(Authenticated.refusal(refused.get()));
                                  }
                                  return onSuccess(
                                      gate.limits()
                                          .acquire(principal.subject(), "websocket-connections"),
                                      limited ->
                                          limited.isPresent()
                                              ? complete(limited.get().response())
                                              : complete(open(upgrade, principal, header, query)));
                                }))));
  }

  private org.apache.pekko.http.javadsl.model.HttpResponse open(
      WebSocketUpgrade upgrade,
      Principal principal,
      Optional<String> header,
      Optional<String> query) {
    return SocketPipe.open(
        system,
        materializer,
        upgrade,
        wiring.settings().buffer(),
        "agent-ws-" + connections.incrementAndGet(),
        out -> AgentConnection.create(wiring, principal, header, query, out),
        AgentConnection.Opened::new,
        (ack, frame) -> new AgentConnection.Received(frame, ack),
        new AgentConnection.ClientGone(),
        AgentConnection.ClientFailed::new);
  }
}
