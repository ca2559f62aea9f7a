package dev.clawbots.gateway;

import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: Kamon's figures in Prometheus' text format, on the server's own port (the
 * reporter's embedded server is off in {@code gateway.conf}). They refresh every {@code
 * kamon.metric.tick-interval}.
 */
final class MetricsRoute extends AllDirectives {

  private static final ContentType.WithCharset PROMETHEUS_TEXT =
      MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);

  private final PrometheusReporter reporter;

  MetricsRoute(PrometheusReporter reporter) {
    this.reporter = reporter;
  }

  Route route() {
    return path(
        "metrics",
        () -> get(() -> complete(HttpEntities.create(PROMETHEUS_TEXT, reporter.scrapeData()))));
  }
}
