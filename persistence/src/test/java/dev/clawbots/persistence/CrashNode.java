package dev.clawbots.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.world.GridCoord;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A cluster node hosting regions, in a JVM of its own, for {@link RegionCrashIT} to kill with
 * SIGKILL. Arguments: its port, the seed node's port, the journal's JDBC URL and extra HOCON laid
 * over the node's configuration.
 *
 * <p>It answers {@code hosts} on stdin with a line {@code HOSTS id,id,...} of the regions running
 * on it. It stops by itself when stdin closes (the test that started it is gone) or after {@link
 * #MAX_LIFETIME}, so it never outlives a test.
 */
public final class CrashNode {

  static final String HOSTS = "HOSTS ";
  static final String READY = "READY";
  static final Duration MAX_LIFETIME = Duration.ofMinutes(4);

  private CrashNode() {}

  /** The world every node of the crash test shares: 30 regions on a 6 x 5 grid. */
  static WorldMap map() {
    List<WorldMap.Placement> placements = new ArrayList<>();
    for (int x = 0; x < 6; x++) {
      for (int y = 0; y < 5; y++) {
        placements.add(
            new WorldMap.Placement("r-" + x + "-" + y, "R" + x + y, new GridCoord(x, y)));
      }
    }
    return new WorldMap(placements);
  }

  /**
   * The world clock every node shares. The nodes run in different JVMs, so it is the system clock
   * (the same on loopback), not a manual one.
   */
  static WorldClock clock() {
    return new WorldClock(
        Clock.systemUTC(), WorldClock.DEFAULT_EPOCH, Duration.ofMillis(100), Duration.ofHours(4));
  }

  /** A node's configuration: cluster.conf and persistence.conf with the test's overrides. */
  static Config config(int port, int seedPort, String url, String extra) {
    Config layered =
        ConfigFactory.parseString(extra)
            .withFallback(
                ConfigFactory.parseString(
                    "pekko.remote.artery.canonical.port = "
                        + port
                        + "\npekko.cluster.seed-nodes = [\"pekko://clawbots@127.0.0.1:"
                        + seedPort
                        + "\"]\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                        + "pekko.loglevel = WARNING\n"
                        + "clawbots.region.housekeeping-interval = 1s\n"
                        + "clawbots.database.url = \""
                        + url
                        + "\"\n"))
            .withFallback(ConfigFactory.parseResources("cluster.conf"))
            .withFallback(ConfigFactory.parseResources("persistence.conf"));
    Config resolved = ConfigFactory.load(layered);
    return JournalConfig.from(Map.of(), resolved).applyTo(resolved);
  }

  /** Starts sharding of regions on {@code node}, with the shared map and clock. */
  static void startRegions(ActorSystem<?> node) {
    Region.init(
        node,
        new RegionEnvironment(
            map(),
            clock(),
            RegionSettings.from(node.settings().config()),
            new TopicRegionFeed(node),
            GridMirror.NONE,
            id -> ClusterSharding.get(node).entityRefFor(Region.ENTITY_KEY, id)));
  }

  public static void main(String[] args) throws Exception {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(MAX_LIFETIME.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.out.println("CrashNode: lived " + MAX_LIFETIME + ", stopping");
              Runtime.getRuntime().halt(3);
            },
            "crash-node-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    int port = Integer.parseInt(args[0]);
    int seedPort = Integer.parseInt(args[1]);
    String url = args[2];
    String extra = args.length > 3 ? args[3] : "";
    ActorSystem<Void> node =
        ActorSystem.create(Behaviors.empty(), "clawbots", config(port, seedPort, url, extra));
    startRegions(node);
    System.out.println(READY);
    System.out.flush();

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.trim().equals("hosts")) {
        ShardRegion.CurrentShardRegionState state =
            AskPattern
                .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                    ShardRegion.CurrentShardRegionState>
                    ask(
                        ClusterSharding.get(node).shardState(),
                        replyTo -> new GetShardRegionState(Region.ENTITY_KEY, replyTo),
                        Duration.ofSeconds(5),
                        node.scheduler())
                .toCompletableFuture()
                .get();
        TreeSet<String> ids = new TreeSet<>();
        state.getShards().forEach(s -> ids.addAll(s.getEntityIds()));
        System.out.println(HOSTS + String.join(",", ids));
        System.out.flush();
      }
    }
    // The test is gone: go without a word, as a crash would.
    Runtime.getRuntime().halt(0);
  }
}
