package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration, the key-for-token exchange, refresh and revocation, over HTTP on a whole server.
 */
class RegistrationAndAuthTest {

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                + "clawbots.rate-limits.token.limit = 1000\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void registrationGivesAnIdAKeyShownOnceAndADayLongToken() throws Exception {
    HttpResponse<String> response =
        server.post(
            "/v1/agents",
            "{\"name\": \"Ada\", \"description\": \"a careful walker\", \"default_region\": \"harbor\"}",
            null);
    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode created = TestServer.json(response);
    assertThat(created.get("agent_id").asText()).isNotBlank();
    assertThat(created.get("api_key").asText()).startsWith("cbk_");
    assertThat(created.get("token").asText().split("\\.")).hasSize(3);
    Instant expires = Instant.parse(created.get("expires_at").asText());
    assertThat(Duration.between(Instant.now(), expires))
        .isBetween(Duration.ofHours(23), Duration.ofHours(24).plusMinutes(1));
  }

  @Test
  void theKeyBuysANewTokenAndAWrongKeyOrUnknownAgentGetsTheSame401() throws Exception {
    JsonNode ada = server.register("Ada");
    String id = ada.get("agent_id").asText();

    HttpResponse<String> ok =
        server.post(
            "/v1/auth/token",
            "{\"agent_id\": \"" + id + "\", \"api_key\": \"" + ada.get("api_key").asText() + "\"}",
            null);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(ok).get("token").asText()).isNotBlank();

    HttpResponse<String> wrongKey =
        server.post(
            "/v1/auth/token", "{\"agent_id\": \"" + id + "\", \"api_key\": \"cbk_nope\"}", null);
    HttpResponse<String> unknown =
        server.post(
            "/v1/auth/token",
            "{\"agent_id\": \"no-such-agent\", \"api_key\": \""
                + ada.get("api_key").asText()
                + "\"}",
            null);
    for (HttpResponse<String> refused : new HttpResponse[] {wrongKey, unknown}) {
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(TestServer.json(refused).get("error").get("code").asText())
          .isEqualTo("unauthorized");
    }
    assertThat(TestServer.json(wrongKey).get("error").get("message"))
        .isEqualTo(TestServer.json(unknown).get("error").get("message"));
  }

  @Test
  void aTokenRefreshesAndOnceRevokedIsRefused() throws Exception {
    String token = server.register("Bo").get("token").asText();

    HttpResponse<String> refreshed = server.post("/v1/auth/refresh", "", token);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    String renewed = TestServer.json(refreshed).get("token").asText();
    assertThat(renewed).isNotEqualTo(token);

    assertThat(server.post("/v1/auth/revoke", "", token).statusCode()).isEqualTo(204);
    HttpResponse<String> afterRevoke = server.post("/v1/auth/refresh", "", token);
    assertThat(afterRevoke.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(afterRevoke).get("error").get("message").asText())
        .contains("revoked");
    // The renewed token is a token of its own and still works.
    assertThat(server.post("/v1/auth/refresh", "", renewed).statusCode()).isEqualTo(200);
  }

  @Test
  void missingForgedAndMalformedTokensAreRefused() throws Exception {
    String token = server.register("Cy").get("token").asText();
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + "AAAA" + parts[2].substring(4);
    for (String bad : new String[] {null, "garbage", forged, parts[0] + "." + parts[1]}) {
      HttpResponse<String> response = server.post("/v1/auth/refresh", "", bad);
      assertThat(response.statusCode()).as("token %s", bad).isEqualTo(401);
      assertThat(TestServer.json(response).get("error").get("code").asText())
          .isEqualTo("unauthorized");
    }
  }

  @Test
  void badRegistrationsAreRefusedNamingTheField() throws Exception {
    assertBadRequest("not json", "not valid JSON");
    assertBadRequest("[1, 2]", "JSON object");
    assertBadRequest("{}", "name is required");
    assertBadRequest("{\"name\": 42}", "name must be a string");
    assertBadRequest("{\"name\": \"\"}", "name must not be empty");
    assertBadRequest("{\"name\": \"" + "n".repeat(129) + "\"}", "more than 128");
    assertBadRequest("{\"name\": \"A\", \"default_region\": \"atlantis\"}", "atlantis");
    assertBadRequest("{\"name\": \"A\"} trailing", "not valid JSON");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    HttpResponse<String> response =
        server.post("/v1/agents", "{\"name\": \"" + "x".repeat(70_000) + "\"}", null);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(TestServer.json(response).get("error").get("code").asText())
        .isEqualTo("payload_too_large");
  }

  private static void assertBadRequest(String body, String messagePart) throws Exception {
    HttpResponse<String> response = server.post("/v1/agents", body, null);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    JsonNode error = TestServer.json(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo("bad_request");
    assertThat(error.get("message").asText()).as(body).contains(messagePart);
  }
}
