package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawbots.persistence.TestWait;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code openapi.yaml} and the routes in step, on a whole server. The document lists exactly
 * {@link ApiRoutes#OPERATIONS} (and the server refuses whatever that list does not name); every
 * documented operation is called, with real values and on purpose with wrong ones, and each answer
 * must have a documented status, the documented headers and media type, and a body of the
 * documented schema ({@link SchemaCheck}); paths and methods the document does not name are 404 and
 * 405; the documented length limits are the server's; and the server serves the document itself.
 */
class OpenApiDocumentTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  @TempDir static Path data;
  static TestServer server;
  static byte[] resource;
  static JsonNode doc;
  static SchemaCheck schemas;
  static JsonNode walker;
  static JsonNode revokable;

  @BeforeAll
  static void start() throws Exception {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      resource = in.readAllBytes();
    }
    doc = new ObjectMapper(new YAMLFactory()).readTree(resource);
    schemas = new SchemaCheck(doc);
    server =
        TestServer.start(
            data,
            "clawbots.rate-limits.registration.limit = 1000\n"
                // A bridge to a grid that is not there: the relay's routes answer all the same.
                + "clawbots.opensim { url = \"http://127.0.0.1:9/\", password = pw,"
                + " relay-secret = s3cret, regions { main = \"ClawBots Main\" } }\n");
    walker = server.register("Walker");
    revokable = server.register("Revokable");
    populateMain(walker.get("agent_id").asText());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void theDocumentListsExactlyTheOperationsTheServerServes() {
    Set<String> served =
        ApiRoutes.OPERATIONS.stream().map(Operation::toString).collect(Collectors.toSet());
    assertThat(documentedOperations())
        .as("operations in openapi.yaml, against ApiRoutes.OPERATIONS")
        .containsExactlyInAnyOrderElementsOf(served);
  }

  @Test
  void everyDocumentedOperationAnswersAsDocumented() throws Exception {
    Map<String, List<Call>> calls = calls();
    assertThat(calls.keySet())
        .as("every documented operation needs calls here, and only those")
        .containsExactlyInAnyOrderElementsOf(documentedOperations());
    for (Map.Entry<String, List<Call>> entry : calls.entrySet()) {
      String[] operation = entry.getKey().split(" ", 2);
      Operation template =
          new Operation(HttpMethods.lookup(operation[0]).orElseThrow(), operation[1]);
      JsonNode documented = doc.get("paths").get(operation[1]).get(operation[0].toLowerCase());
      if (documented.path("x-websocket").asBoolean()) {
        // Plain HTTP can only be refused here; the upgrade itself is made by a real client.
        assertThat(openWebSocket(operation[1]))
            .as("%s: a WebSocket client is switched", entry.getKey())
            .isEqualTo(101);
      } else {
        assertThat(entry.getValue().stream().anyMatch(c -> c.expected() / 100 == 2))
            .as("%s: at least one call that succeeds", entry.getKey())
            .isTrue();
      }
      for (Call call : entry.getValue()) {
        assertThat(template.pathMatches(segments(call.path())))
            .as("%s: the call %s is for another path", entry.getKey(), call.path())
            .isTrue();
        checkRequestBody(entry.getKey(), documented, call);
        HttpResponse<String> response = send(call);
        checkResponse(call + " for " + entry.getKey(), documented, call, response);
      }
    }
  }

  @Test
  void pathsTheDocumentDoesNotNameAreNotFound() throws Exception {
    String agent = walker.get("agent_id").asText();
    List<String[]> probes =
        List.of(
            // "/" is the spectators' page (PageRoute), not part of the API.
            new String[] {"GET", "/index.html"},
            new String[] {"GET", "/health"},
            new String[] {"GET", "/v1"},
            new String[] {"GET", "/openapi.yaml"},
            new String[] {"GET", "/v1/openapi.json"},
            new String[] {"GET", "/v2/regions"},
            new String[] {"GET", "/v1/regions/main/agents"},
            new String[] {"GET", "/v1/agents/" + agent},
            new String[] {"POST", "/v1/agents/" + agent + "/actions"},
            new String[] {"GET", "/v1/agents/" + agent + "/perception"},
            new String[] {"POST", "/v1/spectators"},
            new String[] {"GET", "/v1/ws/agent"},
            new String[] {"GET", "/v1/ws/spectate"});
    for (String[] probe : probes) {
      // Once the server serves one of these, the document names it and its calls above check it.
      boolean documented =
          documentedPaths().stream()
              .anyMatch(p -> new Operation(HttpMethods.GET, p).pathMatches(segments(probe[1])));
      if (documented) {
        continue;
      }
      HttpResponse<String> response = send(new Call(probe[0], probe[1], "", null, 404));
      assertThat(response.statusCode()).as("%s %s", probe[0], probe[1]).isEqualTo(404);
      assertThat(TestServer.json(response).get("error").get("code").asText())
          .isEqualTo("not_found");
    }
  }

  @Test
  void methodsTheDocumentDoesNotNameOnItsPathsAreNotAllowed() throws Exception {
    for (String path : documentedPaths()) {
      String concrete = concrete(path);
      JsonNode item = doc.get("paths").get(path);
      for (String method : new TreeSet<>(METHODS)) {
        if (item.has(method)) {
          continue;
        }
        HttpResponse<String> response =
            send(new Call(method.toUpperCase(), concrete, "{}", null, 405));
        assertThat(response.statusCode()).as("%s %s", method, concrete).isEqualTo(405);
        assertThat(schemas.problems(TestServer.json(response), schema("Error")))
            .as("%s %s: %s", method, concrete, response.body())
            .isEmpty();
      }
    }
  }

  /**
   * Each documented {@code maxLength} of a request body's string is the server's limit in UTF-8
   * bytes: one byte more is a 400 that says so, and exactly that many is not refused for length.
   */
  @Test
  void theDocumentedLengthLimitsAreTheServers() throws Exception {
    for (String operation : documentedOperations()) {
      String[] parts = operation.split(" ", 2);
      JsonNode body =
          doc.get("paths")
              .get(parts[1])
              .get(parts[0].toLowerCase())
              .path("requestBody")
              .path("content")
              .path("application/json")
              .path("schema");
      if (body.isMissingNode()) {
        continue;
      }
      JsonNode resolved = body.has("$ref") ? schemas.resolve(body.get("$ref").asText()) : body;
      List<JsonNode> objects = new ArrayList<>();
      if (resolved.has("oneOf")) {
        resolved
            .get("oneOf")
            .forEach(alternative -> objects.add(schemas.resolve(alternative.get("$ref").asText())));
      } else {
        objects.add(resolved);
      }
      // Paths for one agent are the walker's own, with its token: its routes check it first.
      String path = concrete(parts[1]);
      String token = parts[1].contains("{agent_id}") ? walker.get("token").asText() : null;
      for (JsonNode object : objects) {
        checkLengthLimits(operation, path, token, object);
      }
    }
  }

  private void checkLengthLimits(String operation, String path, String token, JsonNode object)
      throws Exception {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.get("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      if (!property.getValue().has("maxLength")) {
        continue;
      }
      int max = property.getValue().get("maxLength").asInt();
      for (int length : new int[] {max, max + 1}) {
        Map<String, String> fields = new LinkedHashMap<>();
        // Required fields get a value of their kind: an enum's first, else any text.
        object
            .path("required")
            .forEach(
                r -> {
                  JsonNode enumeration = object.get("properties").path(r.asText()).path("enum");
                  fields.put(r.asText(), enumeration.isArray() ? enumeration.get(0).asText() : "x");
                });
        fields.put(property.getKey(), "y".repeat(length));
        String json = TestServer.JSON.writeValueAsString(fields);
        HttpResponse<String> response = server.post(path, json, token);
        String message =
            response.statusCode() == 400
                ? TestServer.json(response).get("error").get("message").asText()
                : "";
        String what = operation + " " + property.getKey() + " of " + length + " bytes";
        if (length > max) {
          assertThat(response.statusCode()).as(what).isEqualTo(400);
          assertThat(message).as(what).contains(property.getKey(), "more than " + max);
        } else {
          assertThat(message).as(what).doesNotContain("more than " + max);
        }
      }
    }
  }

  /** A path template with real values: the region {@code main}, the walker agent. */
  private static String concrete(String template) {
    return template
        .replace("{region_id}", "main")
        .replace("{agent_id}", walker.get("agent_id").asText());
  }

  /**
   * Each documented {@code minimum} and {@code maximum} of an integer query parameter is the
   * server's: the bounds are accepted and one past either is a 400 naming the parameter.
   */
  @Test
  void theDocumentedQueryBoundsAreTheServers() throws Exception {
    for (String operation : documentedOperations()) {
      String[] parts = operation.split(" ", 2);
      String path = parts[1].replace("{region_id}", "main");
      for (JsonNode parameter :
          doc.get("paths").get(parts[1]).get(parts[0].toLowerCase()).path("parameters")) {
        JsonNode p =
            parameter.has("$ref") ? schemas.resolve(parameter.get("$ref").asText()) : parameter;
        JsonNode schema = p.get("schema");
        if (!p.get("in").asText().equals("query")
            || !schema.path("type").asText().equals("integer")) {
          continue;
        }
        String name = p.get("name").asText();
        Map<Long, Integer> expected = new LinkedHashMap<>();
        if (schema.has("minimum")) {
          expected.put(schema.get("minimum").asLong(), 200);
          expected.put(schema.get("minimum").asLong() - 1, 400);
        }
        if (schema.has("maximum")) {
          expected.put(schema.get("maximum").asLong(), 200);
          expected.put(schema.get("maximum").asLong() + 1, 400);
        }
        for (Map.Entry<Long, Integer> e : expected.entrySet()) {
          HttpResponse<String> response = server.get(path + "?" + name + "=" + e.getKey());
          assertThat(response.statusCode())
              .as("%s with %s=%s: %s", operation, name, e.getKey(), response.body())
              .isEqualTo(e.getValue());
          if (e.getValue() == 400) {
            assertThat(TestServer.json(response).get("error").get("message").asText())
                .contains(name);
          }
        }
      }
    }
  }

  @Test
  void theServerServesThisVeryDocument() throws Exception {
    HttpResponse<byte[]> response =
        server.http.send(
            HttpRequest.newBuilder(server.uri("/v1/openapi.yaml")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
    assertThat(response.body()).isEqualTo(resource);
    assertThat(doc.get("openapi").asText()).startsWith("3.0.");
  }

  @Test
  void everyReferenceInTheDocumentLeadsSomewhere() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(schemas.resolve(ref)).as(ref).isNotNull();
    }
  }

  /**
   * The calls made for each documented operation, in order: with real values (the region {@code
   * main}, registered agents' tokens) and with the wrong ones each documented error is for. A call
   * expecting 429 is repeated until it gets it.
   */
  private static Map<String, List<Call>> calls() {
    String walkerId = walker.get("agent_id").asText();
    String walkerKey = walker.get("api_key").asText();
    String token = walker.get("token").asText();
    String other = revokable.get("token").asText();
    String tooBig = "{\"name\": \"" + "x".repeat(70_000) + "\"}";
    Map<String, List<Call>> calls = new LinkedHashMap<>();
    calls.put("GET /health/live", List.of(Call.get("/health/live", 200)));
    calls.put("GET /health/ready", List.of(Call.get("/health/ready", 200)));
    calls.put("GET /health/full", List.of(Call.get("/health/full", 200)));
    calls.put("GET /metrics", List.of(Call.get("/metrics", 200)));
    calls.put("GET /v1/openapi.yaml", List.of(Call.get("/v1/openapi.yaml", 200)));
    calls.put("GET /v1/regions", List.of(Call.get("/v1/regions", 200)));
    calls.put(
        "GET /v1/regions/{region_id}",
        List.of(Call.get("/v1/regions/main", 200), Call.get("/v1/regions/atlantis", 404)));
    calls.put(
        "GET /v1/regions/{region_id}/events",
        List.of(
            Call.get("/v1/regions/main/events", 200),
            Call.get("/v1/regions/main/events?after_seq=1&limit=1000", 200),
            Call.get("/v1/regions/main/events?after_seq=999999", 200),
            Call.get("/v1/regions/main/events?limit=0", 400),
            Call.get("/v1/regions/main/events?limit=1001", 400),
            Call.get("/v1/regions/main/events?after_seq=-1", 400),
            Call.get("/v1/regions/atlantis/events", 404)));
    calls.put(
        "GET /v1/regions/{region_id}/chat",
        List.of(
            Call.get("/v1/regions/main/chat", 200),
            Call.get("/v1/regions/main/chat?before=2999-01-01T00:00:00Z&limit=1000", 200),
            Call.get("/v1/regions/main/chat?limit=1001", 400),
            Call.get("/v1/regions/main/chat?before=yesterday", 400),
            Call.get("/v1/regions/atlantis/chat", 404)));
    calls.put(
        "POST /v1/agents",
        List.of(
            Call.post(
                "/v1/agents",
                "{\"name\": \"Ada\", \"description\": \"walks\", \"avatar\": \"https://a.example/ada.png\","
                    + " \"owner_id\": \"owner-1\", \"default_region\": \"harbor\"}",
                null,
                201),
            Call.post("/v1/agents", "{\"name\": \"Bo\", \"description\": null}", null, 201),
            Call.post("/v1/agents", "{}", null, 400),
            Call.post(
                "/v1/agents", "{\"name\": \"A\", \"default_region\": \"atlantis\"}", null, 400),
            Call.post("/v1/agents", tooBig, null, 413)));
    String walkerActs = "/v1/agents/" + walkerId + "/actions";
    String other0 = revokable.get("agent_id").asText();
    calls.put(
        "GET /v1/agents/{agent_id}",
        List.of(Call.get("/v1/agents/" + walkerId, 200), Call.get("/v1/agents/nobody", 404)));
    calls.put(
        "PATCH /v1/agents/{agent_id}",
        List.of(
            new Call("PATCH", "/v1/agents/" + walkerId, "{\"prompts_allowed\": true}", token, 200),
            new Call(
                "PATCH", "/v1/agents/" + walkerId, "{\"prompts_allowed\": \"no\"}", token, 400),
            new Call("PATCH", "/v1/agents/" + walkerId, "{\"prompts_allowed\": true}", null, 401),
            new Call("PATCH", "/v1/agents/" + other0, "{\"prompts_allowed\": true}", token, 403)));
    calls.put(
        "POST /v1/agents/{agent_id}/actions",
        List.of(
            Call.post(walkerActs, "{\"type\": \"emote\", \"emote\": \"wave\"}", token, 202),
            Call.post(
                walkerActs,
                "{\"type\": \"join\", \"region_id\": \"main\", \"position\": {\"x\": 30, \"y\": 30, \"z\": 21}}",
                token,
                202),
            Call.post(
                walkerActs,
                "{\"type\": \"speak\", \"text\": \"hi\", \"volume\": \"shout\"}",
                token,
                202),
            Call.post(
                walkerActs,
                "{\"type\": \"move\", \"to\": {\"x\": 31, \"y\": 30, \"z\": 21}, \"speed\": 1.5}",
                token,
                202),
            Call.post(walkerActs, "{\"type\": \"fly\"}", token, 400),
            Call.post(walkerActs, "{\"type\": \"leave\"}", null, 401),
            Call.post("/v1/agents/" + other0 + "/actions", "{\"type\": \"leave\"}", token, 403),
            Call.post(walkerActs, "{\"type\": \"join\", \"region_id\": \"atlantis\"}", token, 404),
            Call.post(walkerActs, tooBig, token, 413)));
    calls.put(
        "GET /v1/agents/{agent_id}/perception",
        List.of(
            Call.get(walkerActs.replace("/actions", "/perception"), token, 200),
            Call.get(walkerActs.replace("/actions", "/perception"), null, 401),
            Call.get("/v1/agents/" + other0 + "/perception", token, 403)));
    calls.put(
        "POST /v1/auth/token",
        List.of(
            Call.post(
                "/v1/auth/token",
                "{\"agent_id\": \"" + walkerId + "\", \"api_key\": \"" + walkerKey + "\"}",
                null,
                200),
            Call.post(
                "/v1/auth/token",
                "{\"agent_id\": \"" + walkerId + "\", \"api_key\": \"cbk_wrong\"}",
                null,
                401),
            Call.post("/v1/auth/token", "{\"agent_id\": \"a\"}", null, 400),
            Call.post("/v1/auth/token", tooBig, null, 413),
            Call.post(
                "/v1/auth/token",
                "{\"agent_id\": \"limit-probe\", \"api_key\": \"cbk_wrong\"}",
                null,
                429)));
    calls.put(
        "POST /v1/auth/refresh",
        List.of(
            Call.post("/v1/auth/refresh", "", token, 200),
            Call.post("/v1/auth/refresh", "", null, 401),
            Call.post("/v1/auth/refresh", "", "not-a-token", 401)));
    calls.put(
        "POST /v1/spectators",
        List.of(
            Call.post("/v1/spectators", "{\"name\": \"Sam\"}", null, 201),
            Call.post("/v1/spectators", "{}", null, 400),
            Call.post("/v1/spectators", "{\"name\": 5}", null, 400)));
    // Not an upgrade: refused before anything else, with the contract's body.
    calls.put("GET /v1/ws/agent", List.of(Call.get("/v1/ws/agent", token, 400)));
    calls.put("GET /v1/ws/spectate", List.of(Call.get("/v1/ws/spectate", 400)));
    String chat =
        "{\"region\": \"ClawBots Main\", \"secret\": \"%s\", \"name\": \"Ruth Resident\","
            + " \"avatar_id\": \"k-1\", \"text\": \"hello\", \"volume\": \"shout\","
            + " \"position\": {\"x\": 30, \"y\": 30, \"z\": 21}}";
    calls.put(
        "POST /v1/opensim/relay",
        List.of(
            Call.post(
                "/v1/opensim/relay",
                "{\"region\": \"ClawBots Main\", \"url\": \"http://127.0.0.1:9/lslhttp/u/\","
                    + " \"secret\": \"s3cret\"}",
                null,
                200),
            Call.post("/v1/opensim/relay", "{\"region\": \"ClawBots Main\"}", null, 400),
            Call.post(
                "/v1/opensim/relay",
                "{\"region\": \"ClawBots Main\", \"url\": \"http://h/\", \"secret\": \"no\"}",
                null,
                403),
            Call.post(
                "/v1/opensim/relay",
                "{\"region\": \"Atlantis\", \"url\": \"http://h/\", \"secret\": \"s3cret\"}",
                null,
                404),
            Call.post("/v1/opensim/relay", tooBig, null, 413)));
    calls.put(
        "POST /v1/opensim/chat",
        List.of(
            Call.post("/v1/opensim/chat", chat.formatted("s3cret"), null, 202),
            Call.post("/v1/opensim/chat", "{\"text\": 1}", null, 400),
            Call.post("/v1/opensim/chat", chat.formatted("wrong"), null, 403),
            Call.post(
                "/v1/opensim/chat",
                chat.formatted("s3cret").replace("ClawBots Main", "Atlantis"),
                null,
                404),
            Call.post("/v1/opensim/chat", tooBig, null, 413)));
    calls.put(
        "POST /v1/auth/revoke",
        List.of(
            Call.post("/v1/auth/revoke", "", other, 204),
            Call.post("/v1/auth/revoke", "", other, 401)));
    return calls;
  }

  /** A request, and the status it is made to get (always one the document must list). */
  record Call(String method, String path, String body, String token, int expected) {
    static Call get(String path, int expected) {
      return new Call("GET", path, null, null, expected);
    }

    static Call get(String path, String token, int expected) {
      return new Call("GET", path, null, token, expected);
    }

    static Call post(String path, String body, String token, int expected) {
      return new Call("POST", path, body, token, expected);
    }

    @Override
    public String toString() {
      return method + " " + path + " (expecting " + expected + ")";
    }
  }

  private static HttpResponse<String> send(Call call) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(call.path()))
            .timeout(Duration.ofSeconds(10))
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body()));
    if (call.body() != null) {
      request.header("Content-Type", "application/json");
    }
    if (call.token() != null) {
      request.header("Authorization", "Bearer " + call.token());
    }
    HttpResponse<String> response = null;
    for (int attempt = 0; attempt < (call.expected() == 429 ? 30 : 1); attempt++) {
      response = server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == call.expected()) {
        break;
      }
    }
    return response;
  }

  private static void checkRequestBody(String operation, JsonNode documented, Call call)
      throws Exception {
    JsonNode schema =
        documented.path("requestBody").path("content").path("application/json").path("schema");
    if (call.expected() / 100 != 2 || call.body() == null || schema.isMissingNode()) {
      return;
    }
    if (call.body().isEmpty()) {
      assertThat(documented.path("requestBody").path("required").asBoolean(false))
          .as("%s: sent without a body, but the document requires one", operation)
          .isFalse();
      return;
    }
    assertThat(schemas.problems(TestServer.JSON.readTree(call.body()), schema))
        .as("%s: a body the server accepts, against the documented request schema", call)
        .isEmpty();
  }

  private static void checkResponse(
      String what, JsonNode documented, Call call, HttpResponse<String> response) throws Exception {
    String status = Integer.toString(response.statusCode());
    JsonNode responses = documented.get("responses");
    assertThat(responses.has(status))
        .as("%s: the status %s (body %s) is not documented", what, status, response.body())
        .isTrue();
    assertThat(response.statusCode())
        .as("%s: %s", what, response.body())
        .isEqualTo(call.expected());
    JsonNode answer = responses.get(status);
    if (answer.has("$ref")) {
      answer = schemas.resolve(answer.get("$ref").asText());
    }
    for (Iterator<String> it = answer.path("headers").fieldNames(); it.hasNext(); ) {
      String header = it.next();
      assertThat(response.headers().firstValue(header))
          .as("%s: the documented header %s", what, header)
          .isPresent();
    }
    JsonNode content = answer.path("content");
    if (content.isMissingNode()) {
      assertThat(response.body()).as("%s: no content is documented", what).isEmpty();
      return;
    }
    String contentType = response.headers().firstValue("content-type").orElse("");
    List<String> mediaTypes = new ArrayList<>();
    content.fieldNames().forEachRemaining(mediaTypes::add);
    assertThat(mediaTypes.stream().anyMatch(contentType::startsWith))
        .as("%s: the content type %s, documented %s", what, contentType, mediaTypes)
        .isTrue();
    if (contentType.startsWith("application/json")) {
      assertThat(
              schemas.problems(
                  TestServer.json(response), content.get("application/json").get("schema")))
          .as("%s: the body %s against the documented schema", what, response.body())
          .isEmpty();
    }
  }

  /**
   * Opens a WebSocket at {@code path} (the agent's with a fresh agent's token, the spectators' with
   * none); the status it was answered.
   */
  private static int openWebSocket(String path) throws Exception {
    WebSocket.Builder builder = server.http.newWebSocketBuilder();
    if (path.equals("/v1/ws/agent")) {
      builder.header("Authorization", "Bearer " + server.register("Socket").get("token").asText());
    }
    WebSocket socket =
        builder
            .buildAsync(
                URI.create("ws://127.0.0.1:" + server.server.port() + path),
                new WebSocket.Listener() {})
            .get(10, TimeUnit.SECONDS);
    socket.abort();
    return 101;
  }

  /** Every documented operation as {@code METHOD /path/{template}}. */
  private static List<String> documentedOperations() {
    List<String> operations = new ArrayList<>();
    for (String path : documentedPaths()) {
      doc.get("paths")
          .get(path)
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (METHODS.contains(method)) {
                  operations.add(method.toUpperCase() + " " + path);
                }
              });
    }
    return operations;
  }

  private static List<String> documentedPaths() {
    List<String> paths = new ArrayList<>();
    doc.get("paths").fieldNames().forEachRemaining(paths::add);
    return paths;
  }

  private static JsonNode schema(String name) {
    return doc.get("components").get("schemas").get(name);
  }

  private static List<String> segments(String pathAndQuery) {
    String path = pathAndQuery.split("\\?", 2)[0];
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    return segments;
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.has("$ref")) {
      refs.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, refs));
  }

  /**
   * Puts an agent in {@code main} that has spoken, emoted and walks, and waits until the read side
   * has it, so that the region's view, events and chat have items for the schemas to check.
   */
  private static void populateMain(String agentId) throws Exception {
    act(
        r ->
            new RegionCommand.Join(
                agentId, "Walker", new Vec3(100, 100, 21), Permission.DEFAULTS, r));
    act(r -> new RegionCommand.Speak(agentId, "hello", ChatRange.NORMAL, null, r));
    act(r -> new RegionCommand.Emote(agentId, "wave", r));
    act(r -> new RegionCommand.Move(agentId, new Vec3(200, 100, 21), 0.5, r));
    TestWait.until(
        Duration.ofSeconds(30),
        () ->
            TestServer.json(server.get("/v1/regions/main/events")).get("events").size() >= 4
                && !TestServer.json(server.get("/v1/regions/main/chat")).get("messages").isEmpty());
  }

  private static void act(Function<ActorRef<RegionReply>, RegionCommand> command) throws Exception {
    RegionReply reply =
        server
            .server
            .services()
            .regions()
            .ask("main", command)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
  }
}
