package dev.clawbots.gateway;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Rejections;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint of the server, with the contract's error body on every failure: a route that does
 * not match, a malformed request Pekko HTTP refuses before our code sees it, and an exception our
 * code did not expect (500, logged, never the stack trace on the wire).
 *
 * <p>{@link #OPERATIONS} lists what is served, and a request for anything else is refused (404, or
 * 405 on a listed path) before the routes see it. So a route added below without its line in the
 * list answers nothing, and {@code OpenApiDocumentTest} holds the list to {@code openapi.yaml}: the
 * document cannot fall behind the routes unnoticed.
 */
final class ApiRoutes extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  /** Every operation served, with its path template as {@code openapi.yaml} writes it. */
  static final List<Operation> OPERATIONS =
      List.of(
          Operation.get("/health/live"),
          Operation.get("/health/ready"),
          Operation.get("/health/full"),
          Operation.get("/metrics"),
          Operation.get("/v1/openapi.yaml"),
          Operation.get("/v1/regions"),
          Operation.get("/v1/regions/{region_id}"),
          Operation.get("/v1/regions/{region_id}/events"),
          Operation.get("/v1/regions/{region_id}/chat"),
          Operation.post("/v1/agents"),
          Operation.get("/v1/agents/{agent_id}"),
          Operation.patch("/v1/agents/{agent_id}"),
          Operation.post("/v1/agents/{agent_id}/actions"),
          Operation.get("/v1/agents/{agent_id}/perception"),
          Operation.post("/v1/auth/token"),
          Operation.post("/v1/auth/refresh"),
          Operation.post("/v1/auth/revoke"),
          Operation.get("/v1/ws/agent"),
          Operation.post("/v1/spectators"),
          Operation.get("/v1/ws/spectate"),
          Operation.post("/v1/opensim/relay"),
          Operation.post("/v1/opensim/chat"));

  private final Services services;
  private final Gatekeeping gate;
  private final OpenApiRoute openApi = new OpenApiRoute();
  private final MetricsRoute metrics;
  private final ApiMetrics api = new ApiMetrics();
  private final SocketCounter sockets;
  private final SpectatorCounter spectators = new SpectatorCounter();

  ApiRoutes(Services services, Gatekeeping gate, MetricsRoute metrics, SocketCounter sockets) {
    this.services = services;
    this.gate = gate;
    this.metrics = metrics;
    this.sockets = sockets;
  }

  Route route() {
    // Built once: a directive's inner supplier runs for every request it matches, so whatever is
    // made inside one (caches, sockets' shared wiring) would be made again for each.
    Route v1 =
        concat(
            openApi.route(),
            new RegionRoutes(services, api).route(),
            new AgentRoutes(services, gate, api).route(),
            new AgentActionRoutes(services, gate, api).route(),
            new AuthRoutes(services, gate, api).route(),
            new AgentSocketRoute(services, gate, api, sockets).route(),
            new SpectatorRoutes(gate, api).route(),
            new SpectatorSocketRoute(services, gate, api, spectators).route(),
            new OpenSimRoutes(services, api).route());
    Route served =
        concat(
            new HealthRoutes(services, sockets).route(),
            metrics.route(),
            pathPrefix("v1", () -> v1));
    return concat(
        new PageRoute().route(),
        handleExceptions(
            exceptions(), () -> handleRejections(rejections(), () -> listedOnly(served))));
  }

  /**
   * {@code inner} for the requests {@link #OPERATIONS} lists; for others, a 404 when no listed path
   * fits, and a 405 naming the listed methods when one does.
   */
  private Route listedOnly(Route inner) {
    return extractRequest(
        request -> {
          List<Operation> samePath = listedFor(request);
          if (samePath.stream().anyMatch(o -> o.method().equals(request.method()))) {
            return inner;
          }
          if (samePath.isEmpty()) {
            return reject();
          }
          List<Rejection> allowed = new ArrayList<>();
          samePath.forEach(o -> allowed.add(Rejections.method(o.method())));
          return reject(
              allowed.get(0), allowed.subList(1, allowed.size()).toArray(Rejection[]::new));
        });
  }

  private static List<Operation> listedFor(HttpRequest request) {
    List<String> segments = new ArrayList<>();
    request.getUri().pathSegments().forEach(segments::add);
    return OPERATIONS.stream().filter(o -> o.pathMatches(segments)).toList();
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(ApiError.Failure.class, f -> complete(f.error().response()))
        .matchAny(
            e -> {
              log.error("unexpected failure serving a request", e);
              return complete(
                  ApiError.of("internal", "something went wrong on our side").response());
            })
        .build();
  }

  /** Pekko HTTP's own refusals (404, 405, 413, a bad query string ...) in the contract's body. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(ApiRoutes::asApiError);
  }

  private static HttpResponse asApiError(HttpResponse response) {
    if (response.entity().getContentType().mediaType().toString().equals("application/json")) {
      return response;
    }
    String message =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().utf8String()
            : response.status().reason();
    String code = ApiError.codeFor(response.status().intValue());
    return ApiError.of(code, message).response().withStatus(response.status());
  }
}
