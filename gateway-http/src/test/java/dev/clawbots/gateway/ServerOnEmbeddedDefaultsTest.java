package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.TestWait;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.Regions;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server on its embedded defaults (H2 under a temporary directory, no Redis). */
class ServerOnEmbeddedDefaultsTest {

  @TempDir static Path data;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(data, "kamon.metric.tick-interval = 200ms");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void isAliveAndReadyWithRedisAndOpenSimDisabled() throws Exception {
    HttpResponse<String> live = server.get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"alive\"}");

    HttpResponse<String> ready = server.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(ready))
        .isEqualTo(
            TestServer.JSON.readTree(
                "{\"status\":\"ready\",\"db\":\"ok\",\"redis\":\"disabled\",\"opensim\":\"disabled\"}"));
  }

  @Test
  void listsTheTenDefaultRegionsWithMainFirst() throws Exception {
    HttpResponse<String> response = server.get("/v1/regions");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode regions = TestServer.json(response);
    assertThat(regions).hasSize(10);
    assertThat(regions.get(0).get("region_id").asText()).isEqualTo("main");
    List<String> fields = new ArrayList<>();
    regions.get(0).fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("region_id", "name", "grid_x", "grid_y", "agents_online");
    assertThat(regions.get(0).get("agents_online").asInt()).isZero();
  }

  @Test
  void showsOneRegionWithItsTimeAndWeather() throws Exception {
    HttpResponse<String> response = server.get("/v1/regions/harbor");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode region = TestServer.json(response);
    assertThat(region.get("region_id").asText()).isEqualTo("harbor");
    assertThat(region.get("grid_x").asInt()).isEqualTo(1);
    assertThat(region.get("world_tick").asLong()).isPositive();
    assertThat(region.get("time").get("day_night").asText()).isIn("day", "night");
    assertThat(region.get("weather").get("kind").asText()).isNotEmpty();
    assertThat(region.get("agents")).isEmpty();
  }

  @Test
  void anEmptyRegionHasNoEventsOrChatYet() throws Exception {
    HttpResponse<String> events = server.get("/v1/regions/main/events?after_seq=0&limit=10");
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(events).get("events")).isEmpty();
    assertThat(TestServer.json(events).get("next_after_seq").asLong()).isZero();

    HttpResponse<String> chat = server.get("/v1/regions/main/chat?limit=5");
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(chat).get("messages")).isEmpty();
  }

  @Test
  void badRequestsGetTheContractsErrorBody() throws Exception {
    assertError("/v1/regions/atlantis", 404, "not_found");
    assertError("/v1/regions/atlantis/events", 404, "not_found");
    assertError("/v1/regions/main/events?limit=0", 400, "bad_request");
    assertError("/v1/regions/main/events?limit=1001", 400, "bad_request");
    assertError("/v1/regions/main/events?after_seq=-1", 400, "bad_request");
    assertError("/v1/regions/main/events?after_seq=seven", 400, "bad_request");
    assertError("/v1/regions/main/chat?before=yesterday", 400, "bad_request");
    assertError("/v1/nothing-here", 404, "not_found");
  }

  @Test
  void servesMetricsAndFullHealth() throws Exception {
    HttpResponse<String> metrics = server.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

    // A region runs once something asks for it (and passivates when empty for a while).
    assertThat(server.get("/v1/regions").statusCode()).isEqualTo(200);
    TestWait.until(
        Duration.ofSeconds(20),
        () -> TestServer.json(server.get("/health/full")).get("regions_hosted").asInt() == 10);
    JsonNode full = TestServer.json(server.get("/health/full"));
    assertThat(full.get("cluster_members").asInt()).isEqualTo(1);
    assertThat(full.get("redis").asText()).isEqualTo("disabled");
  }

  @Test
  void regionsReportPopulationTicksJournalWritesAndChatToMetrics() throws Exception {
    Regions regions = server.server.services().regions();
    assertThat(
            regions
                .ask(
                    "market",
                    r ->
                        new RegionCommand.Join(
                            "m1", "Mia", new Vec3(10, 10, 21), Permission.DEFAULTS, r))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .isInstanceOf(RegionReply.Accepted.class);
    assertThat(
            regions
                .ask(
                    "market",
                    r -> new RegionCommand.Speak("m1", "hello", ChatRange.NORMAL, null, r))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .isInstanceOf(RegionReply.Accepted.class);

    TestWait.until(
        Duration.ofSeconds(20),
        () ->
            server
                .get("/metrics")
                .body()
                .contains("clawbots_messages_total{region=\"market\"} 1.0"));
    String metrics = server.get("/metrics").body();
    assertThat(metrics)
        .contains("clawbots_agents_online{region=\"market\"} 1.0")
        .contains("clawbots_events_total{type=\"agent_joined\"}")
        .contains("clawbots_events_total{type=\"chat\"}")
        .contains("clawbots_tick_duration_seconds_count{region=\"market\"}")
        .contains("clawbots_journal_write_seconds_count{region=\"market\"}");
    // The read side's queries (the projection's writes among them) are timed through the pool.
    assertThat(
            TestServer.metric(
                metrics, "clawbots_db_query_duration_seconds_count{pool=\"read-side\"}"))
        .isPositive();
    assertThat(metrics).contains("clawbots_db_connection_wait_seconds_count{pool=\"read-side\"}");
    // The pool's connections by state, which the "database connections low" alert watches.
    assertThat(metrics)
        .containsPattern("clawbots_db_connections\\{[^}]*state=\"idle\"")
        .containsPattern("clawbots_db_connections\\{[^}]*state=\"pending\"")
        .contains("clawbots_db_connections_max{pool=\"read-side\"}");
  }

  @Test
  void servesTheSpectatorsPageAtTheRoot() throws Exception {
    HttpResponse<String> page = server.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<canvas id=\"map\"").contains("/v1/ws/spectate");
  }

  private static void assertError(String path, int status, String code) throws Exception {
    HttpResponse<String> response = server.get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    JsonNode error = TestServer.json(response).get("error");
    assertThat(error).as("%s: %s", path, response.body()).isNotNull();
    assertThat(error.get("code").asText()).as(path).isEqualTo(code);
    assertThat(error.get("message").asText()).as(path).isNotBlank();
  }
}
