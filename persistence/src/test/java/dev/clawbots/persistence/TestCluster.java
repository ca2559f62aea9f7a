package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.Regions;
import dev.clawbots.world.Decision;
import dev.clawbots.world.RegionSimulation;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
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

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(DATABASE, "clawbots", "clawbots");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
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
