package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.Regions;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node dies. Two cluster nodes run in this JVM, a third in a JVM of its own ({@link CrashNode}),
 * all sharing the PostgreSQL journal and 30 regions of walking agents. The third is killed with
 * SIGKILL; with nobody asking them anything, every region it hosted runs again on the survivors
 * within 10 seconds, and every agent then stands exactly where a region that never stopped has it.
 */
class RegionCrashIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** How long a dead node's regions may take to run again elsewhere. */
  private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

  /** HOCON laid over every node's configuration (cluster.conf and persistence.conf). */
  private static final String EXTRA = System.getProperty("crash.extra-config", "");

  private final String schema = "it_crash_" + Long.toHexString(System.nanoTime());
  private final WorldClock clock = CrashNode.clock();
  private final WorldMap map = CrashNode.map();
  private final List<ActorSystem<?>> nodes = new ArrayList<>();
  private Process third;

  @AfterEach
  void stopEverything() throws Exception {
    if (third != null) {
      third.destroyForcibly();
      third.waitFor(30, TimeUnit.SECONDS);
    }
    for (ActorSystem<?> node : nodes) {
      node.terminate();
    }
    for (ActorSystem<?> node : nodes) {
      node.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
    TestCluster.dropSchema(schema);
  }

  @Test
  void aDeadNodesRegionsRunOnTheOthersWithin10sWithEveryAgentWhereItShouldBe() throws Exception {
    TestCluster.createSchema(schema);
    int seedPort = TestCluster.freePort();
    int thirdPort = TestCluster.freePort();
    Config first = CrashNode.config(seedPort, seedPort, TestCluster.urlIn(schema), EXTRA);
    JournalSchema.createIfNotExists(first);
    for (int port : List.of(seedPort, TestCluster.freePort())) {
      ActorSystem<Void> node =
          ActorSystem.create(
              Behaviors.empty(),
              "clawbots",
              CrashNode.config(port, seedPort, TestCluster.urlIn(schema), EXTRA));
      nodes.add(node);
      CrashNode.startRegions(node);
    }
    ActorSystem<?> node1 = nodes.get(0);
    ActorTestKit kit = ActorTestKit.create(node1);

    // The third node, in a JVM of its own.
    BlockingQueue<String> thirdSays = new LinkedBlockingQueue<>();
    third = startThirdNode(thirdPort, seedPort, thirdSays);
    Writer toThird = new OutputStreamWriter(third.getOutputStream(), StandardCharsets.UTF_8);

    // What the cluster does, timed from the kill, from the first node's point of view.
    AtomicLong killedAt = new AtomicLong();
    List<String> timeline = java.util.Collections.synchronizedList(new ArrayList<>());
    ActorRef<Object> recorder =
        kit.spawn(
            Behaviors.receiveMessage(
                m -> {
                  long at = killedAt.get();
                  if (at != 0) {
                    timeline.add(
                        String.format(
                            "+%5d ms %s", (System.nanoTime() - at) / 1_000_000, describe(m)));
                  }
                  return Behaviors.same();
                }));
    Cluster.get(node1)
        .subscriptions()
        .tell(Subscribe.create(recorder.narrow(), ClusterEvent.MemberEvent.class));
    Cluster.get(node1)
        .subscriptions()
        .tell(Subscribe.create(recorder.narrow(), ClusterEvent.ReachabilityEvent.class));

    // All three nodes up, and all three shard regions known to the coordinator.
    TestProbe<Object> waiter = kit.createTestProbe();
    waiter.awaitAssert(
        DEADLINE,
        Duration.ofMillis(200),
        () -> {
          long up =
              java.util.stream.StreamSupport.stream(
                      Cluster.get(node1).state().getMembers().spliterator(), false)
                  .filter(m -> m.status() == MemberStatus.up())
                  .count();
          assertThat(up).isEqualTo(3);
          return null;
        });
    TestProbe<ShardRegion.ClusterShardingStats> statsProbe = kit.createTestProbe();
    waiter.awaitAssert(
        DEADLINE,
        Duration.ofMillis(500),
        () -> {
          ClusterSharding.get(node1)
              .shardState()
              .tell(
                  new GetClusterShardingStats(
                      dev.clawbots.region.Region.ENTITY_KEY,
                      Duration.ofSeconds(3),
                      statsProbe.ref()));
          assertThat(statsProbe.receiveMessage(Duration.ofSeconds(5)).getRegions()).hasSize(3);
          return null;
        });

    // Everyone joins and sets off through the first node, on walks of two minutes or more: nobody
    // arrives while the test runs, so every region keeps publishing its movers.
    Regions regions = Regions.of(node1);
    TestCluster.Population population =
        TestCluster.populate(
            regions,
            map,
            clock,
            random ->
                new TestCluster.Walker(
                    new Vec3(10 + random.nextDouble() * 30, 10 + random.nextDouble() * 230, 21),
                    new Vec3(220 + random.nextDouble() * 30, 10 + random.nextDouble() * 230, 21),
                    0.5 + random.nextDouble()));
    Map<String, RegionSimulation> reference = population.reference();
    Map<String, Long> ackedSeq = population.ackedSeq();

    // The regions the third node hosts, and a subscriber on the first node to their feeds.
    toThird.write("hosts\n");
    toThird.flush();
    String hosts = null;
    for (long until = System.nanoTime() + DEADLINE.toNanos();
        hosts == null && System.nanoTime() < until; ) {
      String line = thirdSays.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(CrashNode.HOSTS)) {
        hosts = line.substring(CrashNode.HOSTS.length()).trim();
      }
    }
    assertThat(hosts).as("the third node's regions").isNotNull().isNotEmpty();
    Set<String> onThird = new TreeSet<>(Arrays.asList(hosts.split(",")));
    TopicRegionFeed feed = new TopicRegionFeed(node1);
    TestProbe<TopicRegionFeed.FeedMessage> feedProbe = kit.createTestProbe();
    for (String id : onThird) {
      feed.subscribe(id, feedProbe.ref());
    }
    // Every one of them is heard from while the third node lives: the feed reaches the test.
    Set<String> heardBefore = new TreeSet<>();
    feedProbe.fishForMessage(
        Duration.ofSeconds(20),
        m -> {
          if (m instanceof TopicRegionFeed.AgentsMoved am) {
            heardBefore.add(am.regionId());
          }
          return heardBefore.containsAll(onThird)
              ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
              : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
        });

    // SIGKILL: no leaving, no coordinated shutdown, no last word.
    long killTick = clock.currentTick();
    killedAt.set(System.nanoTime());
    third.destroyForcibly();
    assertThat(third.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killed = killedAt.get();

    // Nobody asks those regions anything: they start again by themselves and their agents walk on.
    // Only ticks well after the kill count, so nothing the dead node sent before it died does.
    Map<String, Long> backAfterMs = new TreeMap<>();
    try {
      feedProbe.fishForMessage(
          DEADLINE,
          m -> {
            if (m instanceof TopicRegionFeed.AgentsMoved am
                && onThird.contains(am.regionId())
                && am.tick() > killTick + 5) {
              backAfterMs.putIfAbsent(am.regionId(), (System.nanoTime() - killed) / 1_000_000);
            }
            return backAfterMs.keySet().containsAll(onThird)
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
          });
    } finally {
      System.out.printf("RegionCrashIT: cluster events after the kill:%n");
      synchronized (timeline) {
        timeline.forEach(t -> System.out.println("  " + t));
      }
      System.out.printf(
          "RegionCrashIT: the dead node hosted %d regions %s; first AgentsMoved on the survivors"
              + " (ms after the kill): %s%n",
          onThird.size(), onThird, backAfterMs);
    }
    long allBack = backAfterMs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    System.out.printf(
        "RegionCrashIT: a node was killed; its %d regions ran again elsewhere %d ms later%n",
        onThird.size(), allBack);
    assertThat(Duration.ofMillis(allBack)).isLessThanOrEqualTo(BACK_WITHIN);

    // Every acknowledged event is there, and every agent stands where it should at the region's
    // tick.
    for (var entry : reference.entrySet()) {
      String regionId = entry.getKey();
      RegionSimulation expected = entry.getValue();
      waiter.awaitAssert(
          DEADLINE,
          Duration.ofMillis(200),
          () -> {
            RegionReply reply =
                regions.ask(regionId, RegionCommand.View::new).toCompletableFuture().join();
            assertThat(reply).isInstanceOf(RegionReply.View.class);
            RegionReply.View view = (RegionReply.View) reply;
            assertThat(view.worldTick()).isGreaterThanOrEqualTo(expected.tick());
            assertThat(view.seq()).isGreaterThanOrEqualTo(ackedSeq.get(regionId));
            expected.advanceTo(view.worldTick());
            Map<String, Vec3> positions = new HashMap<>();
            view.agents().forEach(a -> positions.put(a.agentId(), a.position()));
            Map<String, Vec3> want = new HashMap<>();
            expected.agents().forEach(a -> want.put(a.agentId(), a.position()));
            assertThat(positions).as("positions in %s", regionId).isEqualTo(want);
            return null;
          });
    }
  }

  private Process startThirdNode(int port, int seedPort, BlockingQueue<String> says)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java.toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashNode.class.getName(),
                Integer.toString(port),
                Integer.toString(seedPort),
                TestCluster.urlIn(schema),
                EXTRA)
            .redirectErrorStream(true);
    Process p = pb.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  System.out.println("[third node] " + line);
                  says.add(line);
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "third-node-output");
    reader.setDaemon(true);
    reader.start();
    for (long until = System.nanoTime() + DEADLINE.toNanos(); System.nanoTime() < until; ) {
      String line = says.poll(1, TimeUnit.SECONDS);
      if (CrashNode.READY.equals(line)) {
        return p;
      }
      if (!p.isAlive()) {
        break;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("the third node did not start");
  }

  private static String describe(Object event) {
    if (event instanceof ClusterEvent.UnreachableMember u) {
      return "unreachable " + u.member().address();
    }
    if (event instanceof ClusterEvent.ReachableMember r) {
      return "reachable again " + r.member().address();
    }
    if (event instanceof ClusterEvent.MemberDowned d) {
      return "downed " + d.member().address();
    }
    if (event instanceof ClusterEvent.MemberRemoved r) {
      return "removed " + r.member().address();
    }
    return event.toString();
  }
}
