package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.Authentication;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.gateway.auth.TokenKind;
import dev.clawbots.persistence.SpectatorSessions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * {@code GET /v1/ws/spectate}: the spectator WebSocket. Watching needs no token; a token, when
 * given, must be a valid spectator's (401 or 403 otherwise), and lets the socket prompt agents.
 * Browsers are held to the same origin allowlist as agents' sockets.
 */
final class SpectatorSocketRoute extends AllDirectives {

  private static final AtomicLong connections = new AtomicLong();

  private final ActorSystem<?> system;
  private final Authenticator authenticator;
  private final ApiMetrics metrics;
  private final SpectatorConnection.Wiring wiring;
  private final Materializer materializer;

  SpectatorSocketRoute(
      Services services, Gatekeeping gate, ApiMetrics metrics, SpectatorCounter counter) {
    this.system = services.system();
    this.authenticator = gate.authenticator();
    this.metrics = metrics;
    AgentProfiles profiles = new AgentProfiles(services.agents());
    this.wiring =
        new SpectatorConnection.Wiring(
            services,
            gate,
            new AgentCommands(system, services.defaultRegion()),
            profiles,
            new Scenes(services, profiles),
            new SpectatorSessions(
                services.database().dataSource(),
                services.database().blocking(),
                Clock.systemUTC()),
            SocketSettings.from(system.settings().config()),
            counter);
    this.materializer = Materializer.matFromSystem(system);
  }

  Route route() {
    return path(
        PathMatchers.segment("ws").slash("spectate"),
        () ->
            get(
                () ->
                    metrics.measured(
                        "GET /v1/ws/spectate",
                        () ->
                            optionalHeaderValueByName(
                                "Origin",
                                origin ->
                                    wiring
                                        .settings()
                                        .originRefusal(origin, "spectator")
                                        .map(this::complete)
                                        .orElseGet(() -> upgraded())))));
  }

  private Route upgraded() {
    return extractWebSocketUpgrade(
        upgrade ->
            optionalHeaderValueByName(
                "Authorization",
                header ->
                    parameterOptional(
                        "token",
                        query ->
                            onSuccess(
                                spectator(header, query),
                                checked ->
                                    checked instanceof Refusal r
                                        ? complete(r.response())
                                        : complete(
                                            open(upgrade, ((Admitted) checked).principal()))))));
  }

  private sealed interface Admission {}

  private record Admitted(Optional<Principal> principal) implements Admission {}

  private record Refusal(HttpResponse response) implements Admission {}

  private CompletionStage<Admission> spectator(Optional<String> header, Optional<String> query) {
    if (header.isEmpty() && query.isEmpty()) {
      return CompletableFuture.completedFuture(new Admitted(Optional.empty()));
    }
    return authenticator
        .authenticate(header, query)
        .thenApply(
            (Authentication result) -> {
              if (!(result instanceof Principal p)) {
                return new Refusal(
                    Authenticated.refusal((dev.clawbots.gateway.auth.AuthFailure) result));
              }
              return Authenticator.requireKind(p, TokenKind.SPECTATOR)
                  .<Admission>map(f -> new Refusal(Authenticated.refusal(f)))
                  .orElse(new Admitted(Optional.of(p)));
            });
  }

  private HttpResponse open(WebSocketUpgrade upgrade, Optional<Principal> principal) {
    return SocketPipe.open(
        system,
        materializer,
        upgrade,
        wiring.settings().buffer(),
        "spectator-ws-" + connections.incrementAndGet(),
        out -> SpectatorConnection.create(wiring, principal, out),
        SpectatorConnection.Opened::new,
        (ack, frame) -> new SpectatorConnection.Received(frame, ack),
        new SpectatorConnection.ClientGone(),
        SpectatorConnection.ClientFailed::new);
  }
}
