package dev.clawbots.gateway;

import kamon.Kamon;
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

  // Kamon is one per JVM, and so is its reporter: several servers in one JVM (the tests) share it.
  private static PrometheusReporter shared;

  private final PrometheusReporter reporter;

  private MetricsRoute(PrometheusReporter reporter) {
    this.reporter = reporter;
  }

  /** The route over the JVM's one Prometheus reporter, registered with Kamon on first use. */
  static synchronized MetricsRoute create() {
    if (shared == null) {
      shared = PrometheusReporter.create();
      Kamon.addReporter("prometheus", shared);
    }
    return new MetricsRoute(shared);
  }

  Route route() {
    return path(
        "metrics",
        () -> get(() -> complete(HttpEntities.create(PROMETHEUS_TEXT, reporter.scrapeData()))));
  }
}
