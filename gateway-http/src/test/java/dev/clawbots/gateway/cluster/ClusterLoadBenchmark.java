package dev.clawbots.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawbots.persistence.TestWait;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The same agent load on a {@code deploy/local-cluster.sh} cluster of 1 or 3 nodes, or the time a
 * killed node's regions take to run again. Bounded; it stops every node it started.
 *
 * <p>{@code load NODES AGENTS SECONDS}: AGENTS agents, spread evenly over the nodes' WebSockets and
 * over the world's regions, send an action every 2 s each on average (a walk, or one time in four a
 * chat line), for SECONDS after a warm-up of 20 s. Reports the acks' latency (from sending to the
 * ack, measured here), errors, events received, and the CPU the nodes used (from /proc).
 *
 * <p>{@code recovery RUNS}: three nodes; RUNS times, SIGKILL to the node hosting the most regions,
 * the time until the survivors host every one of them and answer for each, then the node is started
 * again.
 *
 * <pre>
 * ./mvnw -q -B install -DskipTests   # builds the server jar local-cluster.sh runs (tests: ./mvnw verify)
 * ./mvnw -q -pl gateway-http test-compile exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.clawbots.gateway.cluster.ClusterLoadBenchmark load 3 200 60"
 * </pre>
 */
public final class ClusterLoadBenchmark {

  private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/clawbots";
  private static final Duration WARM_UP = Duration.ofSeconds(20);
  // Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ) on Linux.
  private static final double USER_HZ = 100;

  private ClusterLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "load";
    String run = Long.toHexString(System.nanoTime());
    String schema = "bench_cluster_" + run;
    try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    Path dir = Files.createTempDirectory("cluster-bench");
    int status = 0;
    try (LocalCluster cluster =
        new LocalCluster(
            dir,
            DATABASE + "?currentSchema=" + schema,
            "bench-" + run + ":",
            "-Dclawbots.rate-limits.registration.limit=100000"
                + " -Dclawbots.rate-limits.websocket-connections.limit=1000")) {
      if (mode.equals("recovery")) {
        recovery(cluster, args.length > 1 ? Integer.parseInt(args[1]) : 5);
      } else {
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int agents = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        load(cluster, nodes, agents, Duration.ofSeconds(seconds));
      }
    } catch (Exception | AssertionError e) {
      System.out.println("FAILED " + e);
      e.printStackTrace(System.out);
      status = 1;
    } finally {
      try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    System.exit(status);
  }

  private static void load(LocalCluster cluster, int nodes, int agents, Duration measured)
      throws Exception {
    cluster.script("start", Integer.toString(nodes));
    List<String> regions = cluster.regions();

    Acks acks = new Acks();
    List<WebSocket> sockets = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      int node = i % nodes + 1;
      JsonNode registration = register(cluster, node, "Bench" + i);
      WebSocket socket =
          cluster
              .http
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + registration.get("token").asText())
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + cluster.httpPort(node) + "/v1/ws/agent"),
                  acks.listener())
              .get(60, TimeUnit.SECONDS);
      ObjectNode join = LocalCluster.JSON.createObjectNode().put("type", "join");
      join.put("region_id", regions.get(i % regions.size())).put("perception_hz", 0);
      join.putObject("position").put("x", 128.0).put("y", 128.0).put("z", 21.0);
      socket.sendText(join.toString(), true);
      sockets.add(socket);
    }

    ScheduledExecutorService pace =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pace");
              t.setDaemon(true);
              return t;
            });
    Random random = new Random(7);
    AtomicLong counter = new AtomicLong();
    // An action every 2 s per agent on average: AGENTS / 2 a second, one at a time, evenly.
    pace.scheduleAtFixedRate(
        () -> {
          long n = counter.getAndIncrement();
          String id = "b" + n;
          ObjectNode action = LocalCluster.JSON.createObjectNode().put("id", id);
          if (random.nextInt(4) == 0) {
            action.put("type", "speak").put("text", "hello " + id);
          } else {
            action.put("type", "move").put("speed", 3.2);
            action
                .putObject("to")
                .put("x", 10 + random.nextInt(236))
                .put("y", 10 + random.nextInt(236))
                .put("z", 21.0);
          }
          acks.sent(id);
          sockets.get((int) (n % agents)).sendText(action.toString(), true);
        },
        0,
        2_000_000L / agents,
        TimeUnit.MICROSECONDS);

    pause(WARM_UP);
    acks.reset();
    long[] cpuBefore = cpuTicks(cluster, nodes);
    long start = System.nanoTime();
    pause(measured);
    double wall = (System.nanoTime() - start) / 1e9;
    long[] cpuAfter = cpuTicks(cluster, nodes);
    pace.shutdownNow();

    List<Long> sorted = acks.latencies();
    Collections.sort(sorted);
    StringBuilder perNode = new StringBuilder();
    double total = 0;
    for (int i = 0; i < nodes; i++) {
      double cores = (cpuAfter[i] - cpuBefore[i]) / USER_HZ / wall;
      total += cores;
      perNode.append(String.format(" %.2f", cores));
    }
    System.out.printf(
        "RESULT nodes=%d agents=%d seconds=%.0f acks=%d acks/s=%.1f ack-ms p50=%.1f p95=%.1f"
            + " p99=%.1f max=%.1f errors=%d unanswered=%d events/s=%.0f node-cpu-cores=%.2f"
            + " (per node:%s) loadavg=%s%n",
        nodes,
        agents,
        wall,
        sorted.size(),
        sorted.size() / wall,
        percentile(sorted, 0.50),
        percentile(sorted, 0.95),
        percentile(sorted, 0.99),
        percentile(sorted, 1.0),
        acks.errors.get(),
        acks.unanswered(),
        acks.events.get() / wall,
        total,
        perNode,
        Files.readString(Path.of("/proc/loadavg")).trim());
    sockets.forEach(WebSocket::abort);
  }

  private static void recovery(LocalCluster cluster, int runs) throws Exception {
    cluster.script("start", "3");
    Set<String> all = new HashSet<>(cluster.regions());
    // An agent standing in each region, so that none passivates (an empty one stops after 60 s)
    // and each has state to recover.
    for (String region : all) {
      JsonNode agent = register(cluster, 1, "Stander-" + region);
      cluster.post(
          1,
          "/v1/agents/" + agent.get("agent_id").asText() + "/actions",
          "{\"type\": \"join\", \"region_id\": \"" + region + "\"}",
          agent.get("token").asText());
    }
    for (int run = 1; run <= runs; run++) {
      Map<Integer, Set<String>> share = new HashMap<>();
      TestWait.until(
          Duration.ofSeconds(60),
          () -> {
            share.clear();
            Set<String> hosted = new HashSet<>();
            for (int node = 1; node <= 3; node++) {
              try {
                share.put(node, cluster.hostedBy(node));
              } catch (IOException slow) {
                return false;
              }
              hosted.addAll(share.get(node));
            }
            return hosted.equals(all);
          });
      int victim = 1;
      for (int node = 2; node <= 3; node++) {
        if (share.get(node).size() > share.get(victim).size()) {
          victim = node;
        }
      }
      Set<String> moved = share.get(victim);
      String oldest = oldest(cluster, victim);
      List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
      survivors.remove(Integer.valueOf(victim));

      long killed = System.nanoTime();
      cluster.script("kill-node", Integer.toString(victim));
      TestWait.until(Duration.ofSeconds(60), () -> hostedOn(cluster, survivors).containsAll(moved));
      for (String id : moved) {
        TestWait.until(Duration.ofSeconds(30), () -> answers(cluster, survivors.get(0), id));
      }
      long back = System.nanoTime();
      System.out.printf(
          "RESULT run=%d killed=node%d oldest-node(shard-coordinators)=%s regions=%d"
              + " back-after-ms=%d loadavg=%s%n",
          run,
          victim,
          oldest.equals(cluster.clusterAddress(victim)) ? "yes" : "no",
          moved.size(),
          TimeUnit.NANOSECONDS.toMillis(back - killed),
          Files.readString(Path.of("/proc/loadavg")).trim());
      cluster.script("start-node", Integer.toString(victim));
      TestWait.until(Duration.ofSeconds(60), () -> members(cluster, survivors.get(0)) == 3);
    }
  }

  /** The regions hosted on {@code nodes}; a node that does not answer in time counts as none. */
  private static Set<String> hostedOn(LocalCluster cluster, List<Integer> nodes)
      throws InterruptedException {
    Set<String> hosted = new HashSet<>();
    for (int node : nodes) {
      try {
        hosted.addAll(cluster.hostedBy(node));
      } catch (IOException slow) {
        // Asked again at the next check.
      }
    }
    return hosted;
  }

  /** Registers an agent, again if the node was too busy to answer in time (argon2 is slow). */
  private static JsonNode register(LocalCluster cluster, int node, String name)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return cluster.post(node, "/v1/agents", "{\"name\": \"" + name + "\"}");
      } catch (IOException slow) {
        if (attempt == 5) {
          throw new IllegalStateException("node " + node + " did not register " + name, slow);
        }
      }
    }
  }

  private static String oldest(LocalCluster cluster, int node) throws InterruptedException {
    try {
      return cluster.members(node).get("oldest").asText();
    } catch (IOException slow) {
      return "unknown";
    }
  }

  private static int members(LocalCluster cluster, int node) throws InterruptedException {
    try {
      return cluster.get(node, "/health/full").path("cluster_members").asInt();
    } catch (IOException slow) {
      return -1;
    }
  }

  private static boolean answers(LocalCluster cluster, int node, String region) {
    try {
      cluster.get(node, "/v1/regions/" + region);
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Each node's CPU time so far, in clock ticks (utime + stime of /proc/<pid>/stat). */
  private static long[] cpuTicks(LocalCluster cluster, int nodes) throws IOException {
    long[] ticks = new long[nodes];
    for (int i = 0; i < nodes; i++) {
      String stat = Files.readString(Path.of("/proc/" + cluster.pid(i + 1) + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After the command: state is field 3, utime 14 and stime 15 of the whole line.
      ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
    return ticks;
  }

  private static double percentile(List<Long> sortedNanos, double p) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p * sortedNanos.size()) - 1);
    return sortedNanos.get(Math.max(0, index)) / 1e6;
  }

  /** A measured phase: the benchmark's own clock, not a wait for something to happen. */
  private static void pause(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /** The acks' latencies, from the time each action was sent; errors and events counted. */
  private static final class Acks {
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong errors = new AtomicLong();
    final AtomicLong events = new AtomicLong();

    void sent(String id) {
      sentAt.put(id, System.nanoTime());
    }

    void reset() {
      latencies.clear();
      errors.set(0);
      events.set(0);
    }

    List<Long> latencies() {
      synchronized (latencies) {
        return new ArrayList<>(latencies);
      }
    }

    long unanswered() {
      long old = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
      return sentAt.values().stream().filter(t -> t < old).count();
    }

    WebSocket.Listener listener() {
      return new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            received(text.toString());
            text.setLength(0);
          }
          socket.request(1);
          return null;
        }
      };
    }

    private void received(String text) {
      JsonNode m;
      try {
        m = LocalCluster.JSON.readTree(text);
      } catch (IOException e) {
        errors.incrementAndGet();
        return;
      }
      String type = m.path("type").asText();
      if (type.equals("event")) {
        events.incrementAndGet();
        return;
      }
      Long at = sentAt.remove(m.path("id").asText(""));
      if (at == null) {
        return;
      }
      if (type.equals("ack")) {
        latencies.add(System.nanoTime() - at);
      } else {
        errors.incrementAndGet();
      }
    }
  }
}
