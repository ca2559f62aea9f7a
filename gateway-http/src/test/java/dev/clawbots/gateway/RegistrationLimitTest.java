package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
                + "clawbots.rate-limits.token.limit = 2\n")) {
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
    }
  }
}
