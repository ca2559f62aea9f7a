package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawbots.persistence.TestWait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Headless Chromium for tests, driven over the W3C WebDriver protocol that Debian's {@code
 * chromedriver} speaks (plain HTTP and JSON, so no driver library is needed). Installed by {@code
 * deploy/dev-services.sh}. Chromium runs with a fresh profile and without background networking,
 * and talks only to the loopback server the test gives it.
 */
final class Browser implements AutoCloseable {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String session;

  private Browser(Process driver, String base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  static Browser start(Path profile) throws Exception {
    int port = TestServer.freePort();
    Process driver =
        new ProcessBuilder(CHROMEDRIVER, "--port=" + port, "--allowed-ips=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromedriver.log").toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    TestWait.until(
        Duration.ofSeconds(30),
        () -> {
          try {
            return call(http, "GET", base + "/status", null)
                .path("value")
                .path("ready")
                .asBoolean();
          } catch (IOException notYet) {
            return false;
          }
        });
    ObjectNode capabilities = TestServer.JSON.createObjectNode();
    ObjectNode chrome =
        capabilities
            .putObject("capabilities")
            .putObject("alwaysMatch")
            .put("browserName", "chrome")
            .putObject("goog:chromeOptions")
            .put("binary", CHROMIUM);
    var args = chrome.putArray("args");
    for (String arg :
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile.toAbsolutePath())) {
      args.add(arg);
    }
    JsonNode created = call(http, "POST", base + "/session", capabilities);
    String session = created.path("value").path("sessionId").asText(null);
    if (session == null) {
      driver.destroyForcibly();
      throw new IllegalStateException("chromedriver did not start a session: " + created);
    }
    return new Browser(driver, base, session);
  }

  void open(URI uri) throws Exception {
    command("POST", "/url", TestServer.JSON.createObjectNode().put("url", uri.toString()));
  }

  void windowSize(int width, int height) throws Exception {
    command(
        "POST",
        "/window/rect",
        TestServer.JSON.createObjectNode().put("width", width).put("height", height));
  }

  /** Runs {@code script} (a function body; {@code arguments} holds {@code args}); its result. */
  JsonNode script(String script, Object... args) throws Exception {
    ObjectNode body = TestServer.JSON.createObjectNode().put("script", script);
    var array = body.putArray("args");
    for (Object a : args) {
      array.addPOJO(a);
    }
    return command("POST", "/execute/sync", body).path("value");
  }

  void click(String css) throws Exception {
    command("POST", "/element/" + element(css) + "/click", TestServer.JSON.createObjectNode());
  }

  void type(String css, String text) throws Exception {
    command(
        "POST",
        "/element/" + element(css) + "/value",
        TestServer.JSON.createObjectNode().put("text", text));
  }

  void screenshot(Path file) throws Exception {
    String png = command("GET", "/screenshot", null).path("value").asText();
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  private String element(String css) throws Exception {
    JsonNode found =
        command(
            "POST",
            "/element",
            TestServer.JSON.createObjectNode().put("using", "css selector").put("value", css));
    String id = found.path("value").path(ELEMENT).asText(null);
    if (id == null) {
      throw new AssertionError("no element " + css + ": " + found);
    }
    return id;
  }

  private JsonNode command(String method, String path, JsonNode body) throws Exception {
    JsonNode answer = call(http, method, base + "/session/" + session + path, body);
    if (answer.path("value").has("error")) {
      throw new IllegalStateException(method + " " + path + ": " + answer.path("value"));
    }
    return answer;
  }

  private static JsonNode call(HttpClient http, String method, String url, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return TestServer.JSON.readTree(response.body());
  }

  @Override
  public void close() {
    try {
      call(http, "DELETE", base + "/session/" + session, null);
    } catch (Exception ignored) {
      // The driver is stopped below either way.
    }
    driver.destroy();
    try {
      if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    } catch (InterruptedException e) {
      driver.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
