package dev.clawbots.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.persistence.TestWait;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/local-cluster.sh start 3}: three server nodes on loopback, on the shared PostgreSQL
 * (a schema of the test's own) and Redis (a prefix of its own), with scripted agents on their
 * WebSockets. Any node serves any client; a rolling restart (each node stopped with SIGTERM and
 * started again) and a crash (SIGKILL) lose no acknowledged event, the crashed node's regions run
 * again on the others within 10 seconds, and every agent ends where the journal puts it.
 */
class LocalClusterIT {

  private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/clawbots";
  private static final Duration BACK_WITHIN = Duration.ofSeconds(10);
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(60);
  private static final int NODES = 3;

  private final String run = Long.toHexString(System.nanoTime());
  private final String schema = "it_local_cluster_" + run;
  private final List<WalkingAgent> agents = new ArrayList<>();
  private final List<Integer> live = new CopyOnWriteArrayList<>(List.of(1, 2, 3));
  private LocalCluster cluster;

  @AfterEach
  void stopEverything() throws Exception {
    agents.forEach(WalkingAgent::close);
    if (cluster != null) {
      cluster.close();
    }
    try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void anyNodeServesAnyClientThroughARollingRestartAndACrash() throws Exception {
    try (Connection c = DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    cluster =
        new LocalCluster(
            Path.of("target/local-cluster-it-" + run).toAbsolutePath(),
            DATABASE + "?currentSchema=" + schema,
            "it-cluster-" + run + ":",
            // The test registers a dozen agents from one address and drives them fast.
            "-Dclawbots.rate-limits.registration.limit=100"
                + " -Dclawbots.rate-limits.actions.limit=1000"
                + " -Dclawbots.rate-limits.websocket-messages.limit=1000"
                + " -Dclawbots.rate-limits.websocket-connections.limit=100");

    String started = cluster.script("start", Integer.toString(NODES));
    for (int node = 1; node <= NODES; node++) {
      assertThat(started)
          .contains("http://127.0.0.1:" + cluster.httpPort(node))
          .contains(cluster.clusterAddress(node));
    }

    // Every region starts when the list is asked for; the cluster spreads them over the nodes.
    Set<String> all = new TreeSet<>(cluster.regions());
    TestWait.until(
        Duration.ofSeconds(30),
        () ->
            unlessSlow(
                () -> {
                  Set<String> hosted = new HashSet<>();
                  for (int node = 1; node <= NODES; node++) {
                    Set<String> here = cluster.hostedBy(node);
                    if (here.isEmpty()) {
                      return false;
                    }
                    hosted.addAll(here);
                  }
                  return hosted.equals(all);
                }));

    String onTwo = cluster.hostedBy(2).iterator().next();
    crossNodeChat(onTwo);
    startWalkers(
        onTwo, cluster.hostedBy(1).iterator().next(), cluster.hostedBy(3).iterator().next());

    rollingRestart();
    crash(onTwo);

    for (WalkingAgent agent : agents) {
      agent.halt();
      assertThat(agent.failure()).as("agent %s", agent.agentId).isNull();
    }
    for (WalkingAgent agent : agents) {
      agent.hearOwnEvents(Duration.ofSeconds(10));
    }
    noAcknowledgedEventIsLost();
    everyAgentEndsWhereTheJournalSays();
  }

  /** Agents on nodes 1 and 3, in a region hosted on node 2, hear each other. */
  private void crossNodeChat(String region) throws Exception {
    WalkingAgent ada = agent("Ada", region, 1);
    WalkingAgent bo = agent("Bo", region, 3);
    ada.enter(100, 100);
    bo.enter(104, 100);
    assertThat(cluster.hostedBy(2)).contains(region);
    ada.say("hello from node 1");
    bo.say("hello from node 3");
    TestWait.until(
        Duration.ofSeconds(15),
        () -> bo.heardSaid("hello from node 1") && ada.heardSaid("hello from node 3"));
    System.out.printf(
        "LocalClusterIT: agents on nodes 1 and 3 talked in %s, hosted on node 2%n", region);
  }

  /** Two more agents on each node: walkers in three regions, one hosted on each node at first. */
  private void startWalkers(String... regions) throws Exception {
    for (int i = 0; i < 4; i++) {
      WalkingAgent walker = agent("Walker" + i, regions[i % regions.length], i % NODES + 1);
      walker.enter(60 + 30 * i, 80);
    }
    agents.forEach(WalkingAgent::startWalking);
    awaitProgress(Duration.ofSeconds(20));
  }

  /**
   * Each node in turn: SIGTERM through the script (a graceful leave), then started again. The
   * agents on it are told where to resume, closed normally, and carry on from another node.
   */
  private void rollingRestart() throws Exception {
    for (int node = 1; node <= NODES; node++) {
      live.remove(Integer.valueOf(node));
      long stopping = System.nanoTime();
      cluster.script("stop-node", Integer.toString(node));
      long stopped = System.nanoTime();
      cluster.script("start-node", Integer.toString(node));
      live.add(node);
      awaitProgress(Duration.ofSeconds(30));
      final int restarted = node;
      for (WalkingAgent agent : agents) {
        for (WalkingAgent.Disconnect d : agent.disconnects()) {
          if (d.node() == restarted && d.atNanos() >= stopping) {
            assertThat(d.told())
                .as(
                    "%s on node %d was told where to resume before its close",
                    agent.agentId, d.node())
                .isTrue();
            assertThat(d.code()).as("close code").isEqualTo(1000);
          }
        }
      }
      System.out.printf(
          "LocalClusterIT: node %d stopped (SIGTERM) in %d ms and rejoined%n",
          node, Duration.ofNanos(stopped - stopping).toMillis());
    }
    long told =
        agents.stream()
            .flatMap(a -> a.disconnects().stream())
            .filter(WalkingAgent.Disconnect::told)
            .count();
    assertThat(told)
        .as("sockets closed with where to resume")
        .isGreaterThanOrEqualTo(agents.size());
    for (WalkingAgent agent : agents) {
      assertThat(agent.resumedAfter()).as("%s resumed", agent.agentId).isNotEmpty();
    }
  }

  /**
   * SIGKILL to the node hosting {@code region}: its regions run again on the others within 10 s,
   * the split brain resolver downs it, and the clients of the other nodes keep their sockets.
   */
  private void crash(String region) throws Exception {
    int victim = 0;
    for (int node = 1; node <= NODES; node++) {
      if (cluster.hostedBy(node).contains(region)) {
        victim = node;
      }
    }
    assertThat(victim).as("the node hosting %s", region).isPositive();
    Set<String> moved = cluster.hostedBy(victim);
    List<WalkingAgent> elsewhere = new ArrayList<>();
    Map<WalkingAgent, Integer> closesBefore = new HashMap<>();
    for (WalkingAgent agent : agents) {
      closesBefore.put(agent, agent.disconnects().size());
      if (agent.node() != victim) {
        elsewhere.add(agent);
      }
    }
    List<Integer> survivors = new ArrayList<>(live);
    survivors.remove(Integer.valueOf(victim));

    live.remove(Integer.valueOf(victim));
    long killed = System.nanoTime();
    cluster.script("kill-node", Integer.toString(victim));
    TestWait.until(
        BACK_WITHIN,
        () ->
            unlessSlow(
                () -> {
                  Set<String> back = new HashSet<>();
                  for (int node : survivors) {
                    back.addAll(cluster.hostedBy(node));
                  }
                  return back.containsAll(moved);
                }));
    for (String id : moved) {
      cluster.get(survivors.get(0), "/v1/regions/" + id);
    }
    long recovered = System.nanoTime();
    Duration recovery = Duration.ofNanos(recovered - killed);
    assertThat(recovery).isLessThan(BACK_WITHIN);
    System.out.printf(
        "LocalClusterIT: node %d killed (SIGKILL); its regions %s ran again on nodes %s %d ms"
            + " later%n",
        victim, moved, survivors, recovery.toMillis());

    TestWait.until(
        Duration.ofSeconds(20),
        () ->
            unlessSlow(
                () -> {
                  for (int node : survivors) {
                    if (cluster.get(node, "/health/full").path("cluster_members").asInt() != 2) {
                      return false;
                    }
                  }
                  return true;
                }));
    awaitProgress(Duration.ofSeconds(30));
    for (WalkingAgent agent : elsewhere) {
      assertThat(agent.disconnects().size())
          .as("%s, on node %d, kept its socket through the crash", agent.agentId, agent.node())
          .isEqualTo(closesBefore.get(agent));
    }
  }

  /** Every ack names an event that the region's history has, of that agent and type. */
  private void noAcknowledgedEventIsLost() throws Exception {
    int survivor = live.get(0);
    Map<String, Map<Long, JsonNode>> history = new HashMap<>();
    TestWait.until(
        SETTLED_WITHIN,
        () -> {
          history.clear();
          for (WalkingAgent agent : agents) {
            Map<Long, JsonNode> events =
                history.computeIfAbsent(agent.region, id -> new HashMap<>());
            if (events.isEmpty()) {
              readHistory(survivor, agent.region, events);
            }
            for (WalkingAgent.Ack ack : agent.acks()) {
              if (!events.containsKey(ack.seq())) {
                return false;
              }
            }
          }
          return true;
        });
    int acked = 0;
    for (WalkingAgent agent : agents) {
      Set<Long> heard = new HashSet<>(agent.heard());
      assertThat(agent.heard())
          .as("%s was given each event once", agent.agentId)
          .doesNotHaveDuplicates();
      for (WalkingAgent.Ack ack : agent.acks()) {
        JsonNode event = history.get(ack.regionId()).get(ack.seq());
        assertThat(event.path("source_agent").asText()).isEqualTo(agent.agentId);
        assertThat(event.path("type").asText())
            .isEqualTo(
                switch (ack.type()) {
                  case "move" -> "move_started";
                  case "speak" -> "chat";
                  default -> "agent_joined";
                });
        assertThat(heard)
            .as("%s heard its own event %d", agent.agentId, ack.seq())
            .contains(ack.seq());
        acked++;
      }
    }
    System.out.printf(
        "LocalClusterIT: %d acknowledged actions of %d agents, every one in the journal%n",
        acked, agents.size());
  }

  /** Once the walks are over, each agent stands at its last acknowledged move's target. */
  private void everyAgentEndsWhereTheJournalSays() throws Exception {
    int survivor = live.get(0);
    for (WalkingAgent agent : agents) {
      double[] target = null;
      for (WalkingAgent.Ack ack : agent.acks()) {
        if (ack.to() != null) {
          target = ack.to();
        }
      }
      if (target == null) {
        continue;
      }
      double[] want = target;
      TestWait.until(
          SETTLED_WITHIN,
          () -> {
            JsonNode profile = cluster.get(survivor, "/v1/agents/" + agent.agentId);
            JsonNode position = profile.path("position");
            return profile.path("region").asText().equals(agent.region)
                && Math.abs(position.path("x").asDouble() - want[0]) < 0.01
                && Math.abs(position.path("y").asDouble() - want[1]) < 0.01;
          });
    }
  }

  private void readHistory(int node, String region, Map<Long, JsonNode> into) throws Exception {
    long after = 0;
    while (true) {
      JsonNode page =
          cluster.get(node, "/v1/regions/" + region + "/events?after_seq=" + after + "&limit=1000");
      for (JsonNode event : page.path("events")) {
        into.put(event.get("seq").asLong(), event);
      }
      if (page.path("events").size() < 1000) {
        return;
      }
      after = page.path("next_after_seq").asLong();
    }
  }

  /** {@code condition}, taken as not met yet when a node is too busy to answer in time. */
  private static boolean unlessSlow(TestWait.Condition condition) throws Exception {
    try {
      return condition.met();
    } catch (IOException slow) {
      return false;
    }
  }

  /** Waits until every agent has had another action acknowledged. */
  private void awaitProgress(Duration within) {
    Map<WalkingAgent, Integer> before = new HashMap<>();
    agents.forEach(a -> before.put(a, a.acks().size()));
    TestWait.until(
        within,
        () -> {
          for (WalkingAgent agent : agents) {
            if (agent.failure() != null) {
              throw new AssertionError(agent.agentId + " failed", agent.failure());
            }
            if (agent.acks().size() <= before.get(agent)) {
              return false;
            }
          }
          return true;
        });
  }

  private WalkingAgent agent(String name, String region, int home) throws Exception {
    JsonNode registration = cluster.post(home, "/v1/agents", "{\"name\": \"" + name + "\"}");
    WalkingAgent agent =
        new WalkingAgent(
            cluster, registration, region, home, () -> List.copyOf(live), agents.size());
    agents.add(agent);
    return agent;
  }
}
