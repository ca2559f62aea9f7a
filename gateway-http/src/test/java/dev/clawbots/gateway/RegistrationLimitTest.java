package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registrations and key exchanges past their limits get 429 with the time to wait. */
class RegistrationLimitTest {

  @TempDir Path data;

  @Test
  void theFourthRegistrationFromAnAddressAndTheThirdKeyExchangeAreRateLimited() throws Exception {
    try (TestServer server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 3\n"
                + "clawbots.rate-limits.token.limit = 2\n"
                + "kamon.metric.tick-interval = 200ms\n")) {
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
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String metrics;
      do {
        metrics = server.get("/metrics").body();
        assertThat(System.nanoTime()).as("metrics:%n%s", metrics).isLessThan(deadline);
      } while (!metrics.contains("clawbots_rate_limits_hit_total{action=\"token\"}"));
      assertThat(metrics)
          .contains("clawbots_rate_limits_hit_total{action=\"registration\"} 1.0")
          // The third exchange is past both the address's limit and the agent's.
          .contains("clawbots_rate_limits_hit_total{action=\"token\"} 2.0")
          .contains(
              "clawbots_errors_total{type=\"rate_limited\",endpoint=\"POST /v1/auth/token\"} 1.0")
          .contains("clawbots_errors_total{type=\"rate_limited\",endpoint=\"POST /v1/agents\"} 1.0")
          .contains(
              "clawbots_errors_total{type=\"unauthorized\",endpoint=\"POST /v1/auth/token\"} 2.0")
          .contains("clawbots_api_latency_seconds_count{endpoint=\"POST /v1/agents\"} 4.0")
          .doesNotContain("clawbots_errors_total{type=\"unauthorized\"}");
    }
  }
}
