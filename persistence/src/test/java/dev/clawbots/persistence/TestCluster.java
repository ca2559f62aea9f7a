package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.Regions;
import dev.clawbots.world.Decision;
import dev.clawbots.world.Permission;
import dev.clawbots.world.RegionSimulation;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/** What the multi-node tests share: the database they use, free ports, and acting on regions. */
final class TestCluster {

  static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/clawbots";

  private TestCluster() {}

  /** The journal's URL in a schema of the test's own. */
  static String urlIn(String schema) {
    return DATABASE + "?currentSchema=" + schema;
  }

  /** A small pool on {@code url}, as {@code ReadSideDatabase} gives the server. */
  static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  /** Creates {@code schema} in the test database, for a test's own tables. */
  static void createSchema(String schema) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  /** Drops {@code schema} and everything in it, if it is there. */
  static void dropSchema(String schema) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Where one agent starts, where it walks to, and how fast. */
  record Walker(Vec3 at, Vec3 to, double speed) {}

  /**
   * Simulations of every region that never stop, and the highest acknowledged seq of each region.
   */
  record Population(Map<String, RegionSimulation> reference, Map<String, Long> ackedSeq) {}

  /**
   * Three agents join every region of {@code map} through {@code regions} and set off as {@code
   * walker} draws them, each decision mirrored in a reference simulation of its region.
   */
  static Population populate(
      Regions regions, WorldMap map, WorldClock clock, Function<Random, Walker> walker) {
    Map<String, RegionSimulation> reference = new LinkedHashMap<>();
    Map<String, Long> ackedSeq = new HashMap<>();
    Random random = new Random(11);
    for (var spec : map.regions()) {
      RegionSimulation sim = new RegionSimulation(spec, clock, 0);
      reference.put(spec.id(), sim);
      for (int k = 0; k < 3; k++) {
        String agent = "a-" + spec.id() + "-" + k;
        Walker w = walker.apply(random);
        act(
            regions,
            spec.id(),
            r -> new RegionCommand.Join(agent, agent, w.at(), Permission.DEFAULTS, r),
            sim,
            new Decision.Join(agent, agent, w.at(), Permission.DEFAULTS),
            ackedSeq);
        act(
            regions,
            spec.id(),
            r -> new RegionCommand.Move(agent, w.to(), w.speed(), r),
            sim,
            new Decision.Move(agent, w.to(), w.speed()),
            ackedSeq);
      }
    }
    return new Population(reference, ackedSeq);
  }

  /**
   * Sends {@code command} to a region, expects it accepted, and applies the same decision at the
   * same tick to {@code reference}, a simulation of the region that never stops. Records the
   * highest acknowledged seq of each region in {@code ackedSeq}.
   */
  static void act(
      Regions regions,
      String regionId,
      Function<ActorRef<RegionReply>, RegionCommand> command,
      RegionSimulation reference,
      Decision decision,
      Map<String, Long> ackedSeq) {
    RegionReply reply = regions.ask(regionId, command).toCompletableFuture().join();
    assertThat(reply).isInstanceOf(RegionReply.Accepted.class);
    RegionReply.Accepted ok = (RegionReply.Accepted) reply;
    reference.advanceTo(ok.acceptedTick());
    assertThat(reference.apply(decision).isAccepted()).isTrue();
    ackedSeq.merge(regionId, ok.seq(), Math::max);
  }
}
