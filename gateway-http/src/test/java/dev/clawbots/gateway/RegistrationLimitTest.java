package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.TestWait;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registrations and key exchanges past their limits get 429 with the time to wait. */
class RegistrationLimitTest {

  @TempDir Path data;

  /** How much each of {@code series}' values grew since {@code before}. */
  private static Map<String, Double> changes(
      TestServer server, String before, Map<String, Double> series) throws Exception {
    String after = server.get("/metrics").body();
    Map<String, Double> changes = new LinkedHashMap<>();
    for (String name : series.keySet()) {
      changes.put(name, TestServer.metric(after, name) - TestServer.metric(before, name));
    }
    return changes;
  }

  /** The metrics once two reports in a row agree: nothing from before is still on its way. */
  private static String settledMetrics(TestServer server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String previous = server.get("/metrics").body();
    while (true) {
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
      String now = server.get("/metrics").body();
      if (now.replaceAll("(?m)^clawbots_api_latency.*$|^kamon.*$", "")
          .equals(previous.replaceAll("(?m)^clawbots_api_latency.*$|^kamon.*$", ""))) {
        return now;
      }
      assertThat(System.nanoTime()).isLessThan(deadline);
      previous = now;
    }
  }

  @Test
  void theFourthRegistrationFromAnAddressAndTheThirdKeyExchangeAreRateLimited() throws Exception {
    try (TestServer server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 3\n"
                + "clawbots.rate-limits.token.limit = 2\n"
                + "kamon.metric.tick-interval = 200ms\n")) {
      // Kamon is one per JVM: other tests' servers count too, so what is checked is the change.
      Map<String, Double> expected = new LinkedHashMap<>();
      expected.put("clawbots_rate_limits_hit_total{action=\"registration\"}", 1.0);
      // The third exchange is past both the address's limit and the agent's.
      expected.put("clawbots_rate_limits_hit_total{action=\"token\"}", 2.0);
      expected.put(
          "clawbots_errors_total{type=\"rate_limited\",endpoint=\"POST /v1/auth/token\"}", 1.0);
      expected.put(
          "clawbots_errors_total{type=\"rate_limited\",endpoint=\"POST /v1/agents\"}", 1.0);
      expected.put(
          "clawbots_errors_total{type=\"unauthorized\",endpoint=\"POST /v1/auth/token\"}", 2.0);
      expected.put("clawbots_api_latency_seconds_count{endpoint=\"POST /v1/agents\"}", 4.0);
      String before = settledMetrics(server);

      JsonNode first = server.register("One");
      server.register("Two");
      server.register("Three");
      HttpResponse<String> fourth = server.post("/v1/agents", "{\"name\": \"Four\"}", null);
      assertThat(fourth.statusCode()).isEqualTo(429);
      JsonNode error = TestServer.json(fourth).get("error");
      assertThat(error.get("code").asText()).isEqualTo("rate_limited");
      assertThat(error.get("retry_after_ms").asLong()).isBetween(1L, 3_600_000L);
      assertThat(fourth.headers().firstValue("Retry-After")).isPresent();

      String exchange =
          "{\"agent_id\": \"" + first.get("agent_id").asText() + "\", \"api_key\": \"cbk_wrong\"}";
      assertThat(server.post("/v1/auth/token", exchange, null).statusCode()).isEqualTo(401);
      assertThat(server.post("/v1/auth/token", exchange, null).statusCode()).isEqualTo(401);
      HttpResponse<String> third = server.post("/v1/auth/token", exchange, null);
      assertThat(third.statusCode()).isEqualTo(429);

      // What operators see: refusals by limit, errors by code and endpoint, latency histograms.
      TestWait.until(
          Duration.ofSeconds(20), () -> changes(server, before, expected).equals(expected));
    }
  }
}
