package dev.clawbots.gateway;

import java.util.function.Supplier;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Timer;
import kamon.tag.TagSet;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API's own metrics, named as the operators' dashboards expect them in Prometheus: {@code
 * clawbots_api_latency_seconds{endpoint}} (a histogram), {@code clawbots_errors_total{type,
 * endpoint}} and {@code clawbots_rate_limits_hit_total{action}}. An endpoint is its method and path
 * template ({@code GET /v1/regions/{region_id}}), never the path itself, so that the number of
 * series stays fixed.
 */
final class ApiMetrics extends AllDirectives {

  static final String LATENCY = "clawbots.api.latency";
  static final String ERRORS = "clawbots.errors";
  static final String RATE_LIMITS_HIT = "clawbots.rate_limits_hit";

  /** Times {@code inner} and counts the errors it answers with, under {@code endpoint}. */
  Route measured(String endpoint, Supplier<Route> inner) {
    return extractRequestContext(
        context -> {
          long start = System.nanoTime();
          return mapResponse(
              response -> {
                latency(endpoint).record(System.nanoTime() - start);
                int status = response.status().intValue();
                if (status >= 400) {
                  errors(ApiError.codeFor(status), endpoint).increment();
                }
                return response;
              },
              inner);
        });
  }

  static Timer latency(String endpoint) {
    return Kamon.timer(LATENCY, "time to answer a request").withTag("endpoint", endpoint);
  }

  static Counter errors(String type, String endpoint) {
    // Both tags at once: tagging one at a time would leave a series with the first tag alone.
    return Kamon.counter(ERRORS, "requests answered with an error")
        .withTags(TagSet.of("type", type).withTag("endpoint", endpoint));
  }

  static Counter rateLimitsHit(String action) {
    return Kamon.counter(RATE_LIMITS_HIT, "requests refused by a rate limit")
        .withTag("action", action);
  }
}
