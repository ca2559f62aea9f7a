package dev.clawbots.gateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.typesafe.config.ConfigFactory;
import dev.clawbots.gateway.Server;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Spectators against one busy region, on one server in this JVM, on loopback: {@code agents} agents
 * walking and talking in {@code main}, first with nobody watching, then with {@code spectators}
 * spectator sockets watching the whole region. Reports the frames each spectator receives per
 * second, the process's CPU, and the region's mean tick time in each phase, read from the server's
 * own {@code /metrics}. Bounded: two phases of {@code seconds} each, then it stops.
 *
 * <pre>
 * ./mvnw -q -pl gateway-http test-compile exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.clawbots.gateway.bench.SpectatorBenchmark 100 1000 20"
 * </pre>
 */
public final class SpectatorBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int spectators = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path data = Files.createTempDirectory("spectator-bench");
    int cluster = freePort();
    Server server =
        Server.start(
                ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\n"
                            + "pekko.remote.artery.canonical.port = "
                            + cluster
                            + "\npekko.cluster.seed-nodes = [\"pekko://clawbots@127.0.0.1:"
                            + cluster
                            + "\"]\n"
                            + "pekko.coordinated-shutdown.exit-jvm = off\n"
                            + "clawbots.http.host = \"127.0.0.1\"\nclawbots.http.port = 0\n"
                            + "clawbots.redis.url = \"\"\n"
                            + "clawbots.auth.data-dir = \""
                            + data
                            + "\"\nclawbots.auth.jwt-secret = \"\"\n"
                            + "clawbots.auth.api-key-hashing { memory-kib = 64, iterations = 1 }\n"
                            + "clawbots.rate-limits { registration.limit = 100000,"
                            + " actions.limit = 100000, websocket-messages.limit = 100000,"
                            + " websocket-connections.limit = 100000 }\n"
                            + "kamon.metric.tick-interval = 1s\n"
                            + "clawbots.database.embedded-url = \"jdbc:h2:file:"
                            + data.resolve("db")
                            + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH\"\n")
                    .withFallback(ConfigFactory.load()))
            .toCompletableFuture()
            .get(2, TimeUnit.MINUTES);
    HttpClient http = HttpClient.newHttpClient();
    String base = "127.0.0.1:" + server.port();
    try {
      List<WebSocket> walkers = new ArrayList<>();
      Random random = new Random(7);
      for (int i = 0; i < agents; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + base + "/v1/agents"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Agent " + i + "\"}"))
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String token = JSON.readTree(r.body()).get("token").asText();
        WebSocket w =
            http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://" + base + "/v1/ws/agent"), new Counting())
                .get(10, TimeUnit.SECONDS);
        w.sendText(
                "{\"type\": \"join\", \"region_id\": \"main\", \"perception_hz\": 0, \"position\":"
                    + position(random)
                    + "}",
                true)
            .get();
        walkers.add(w);
      }
      Thread traffic = new Thread(() -> drive(walkers, random), "bench-traffic");
      traffic.setDaemon(true);
      traffic.start();
      settle(Duration.ofSeconds(5));

      Phase quiet = measure(http, base, Duration.ofSeconds(seconds), List.of());
      List<Counting> watchers = new ArrayList<>();
      List<WebSocket> sockets = new ArrayList<>();
      for (int i = 0; i < spectators; i++) {
        Counting c = new Counting();
        WebSocket s =
            http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + base + "/v1/ws/spectate"), c)
                .get(10, TimeUnit.SECONDS);
        s.sendText("{\"type\": \"watch\", \"region_id\": \"main\"}", true).get();
        watchers.add(c);
        sockets.add(s);
      }
      settle(Duration.ofSeconds(5));
      Phase watched = measure(http, base, Duration.ofSeconds(seconds), watchers);

      System.out.printf(
          "%d agents walking and talking in main; %d s a phase; JVM with %d cores%n",
          agents, seconds, Runtime.getRuntime().availableProcessors());
      System.out.println(
          "| phase | frames/s per spectator (mean, min) | process CPU (cores) | mean tick (ms) |");
      System.out.println("|---|---|---|---|");
      System.out.println(quiet.row("no spectators"));
      System.out.println(watched.row(spectators + " spectators"));
      sockets.forEach(WebSocket::abort);
      walkers.forEach(WebSocket::abort);
    } finally {
      server.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  /** Every agent walks somewhere new about every 2 s and speaks about every 10 s. */
  private static void drive(List<WebSocket> walkers, Random random) {
    long n = 0;
    while (true) {
      WebSocket w = walkers.get((int) (n++ % walkers.size()));
      String message =
          random.nextInt(5) == 0
              ? "{\"type\": \"speak\", \"text\": \"hello from the benchmark\"}"
              : "{\"type\": \"move\", \"to\": " + position(random) + "}";
      w.sendText(message, true);
      LockSupport.parkNanos(Duration.ofSeconds(2).toNanos() / walkers.size());
    }
  }

  private static String position(Random random) {
    return "{\"x\": "
        + (20 + random.nextInt(216))
        + ", \"y\": "
        + (20 + random.nextInt(216))
        + ", \"z\": 21}";
  }

  private record Phase(double meanFps, double minFps, double cores, double tickMs) {
    String row(String name) {
      return String.format(
          "| %s | %s | %.2f | %.3f |",
          name,
          Double.isNaN(meanFps) ? "-" : String.format("%.1f, %.1f", meanFps, minFps),
          cores,
          tickMs);
    }
  }

  private static Phase measure(
      HttpClient http, String base, Duration length, List<Counting> watchers) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double[] ticksBefore = ticks(http, base);
    long[] framesBefore = watchers.stream().mapToLong(c -> c.frames.get()).toArray();
    long cpuBefore = os.getProcessCpuTime();
    long start = System.nanoTime();
    settle(length);
    long elapsed = System.nanoTime() - start;
    long cpu = os.getProcessCpuTime() - cpuBefore;
    // Kamon publishes once a second: wait for the figures of the phase's last second.
    settle(Duration.ofMillis(1500));
    double[] ticksAfter = ticks(http, base);
    double mean = Double.NaN;
    double min = Double.NaN;
    if (!watchers.isEmpty()) {
      double seconds = elapsed / 1e9;
      double sum = 0;
      min = Double.MAX_VALUE;
      for (int i = 0; i < watchers.size(); i++) {
        double fps = (watchers.get(i).frames.get() - framesBefore[i]) / seconds;
        sum += fps;
        min = Math.min(min, fps);
      }
      mean = sum / watchers.size();
    }
    double tickMs =
        (ticksAfter[0] - ticksBefore[0]) / Math.max(1, ticksAfter[1] - ticksBefore[1]) * 1000;
    return new Phase(mean, min, cpu / (double) elapsed, tickMs);
  }

  /** The sum (seconds) and count of main's tick durations so far. */
  private static double[] ticks(HttpClient http, String base) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://" + base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new double[] {
      value(text, "clawbots_tick_duration_seconds_sum{region=\"main\"}"),
      value(text, "clawbots_tick_duration_seconds_count{region=\"main\"}")
    };
  }

  private static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  private static void settle(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      LockSupport.parkNanos(end - System.nanoTime());
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Counts the frames a socket receives, reading everything. */
  private static final class Counting implements WebSocket.Listener {
    final AtomicLong frames = new AtomicLong();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        if (text.indexOf("\"type\":\"frame\"") >= 0) {
          frames.incrementAndGet();
        }
        text.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
