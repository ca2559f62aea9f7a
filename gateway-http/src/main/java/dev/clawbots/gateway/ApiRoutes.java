package dev.clawbots.gateway;

import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint of the server, with the contract's error body on every failure: a route that does
 * not match, a malformed request Pekko HTTP refuses before our code sees it, and an exception our
 * code did not expect (500, logged, never the stack trace on the wire).
 */
final class ApiRoutes extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final Services services;
  private final Gatekeeping gate;
  private final MetricsRoute metrics;
  private final ApiMetrics api = new ApiMetrics();

  ApiRoutes(Services services, Gatekeeping gate, MetricsRoute metrics) {
    this.services = services;
    this.gate = gate;
    this.metrics = metrics;
  }

  Route route() {
    return handleExceptions(
        exceptions(),
        () ->
            handleRejections(
                rejections(),
                () ->
                    concat(
                        new HealthRoutes(services).route(),
                        metrics.route(),
                        pathPrefix(
                            "v1",
                            () ->
                                concat(
                                    new RegionRoutes(services, api).route(),
                                    new AgentRoutes(services, gate, api).route(),
                                    new AgentActionRoutes(services, gate, api).route(),
                                    new AuthRoutes(services, gate, api).route())))));
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
