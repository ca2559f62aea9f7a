package dev.clawbots.gateway;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node comes into the cluster, from {@code management.conf}: through the seed nodes of {@code
 * cluster.conf} (the default, which Pekko does by itself), or through Pekko Management's cluster
 * bootstrap, which finds the other nodes by discovery ({@code kubernetes.conf}). Either way the
 * management endpoint may be served, for operators and for bootstrap's contact points.
 */
final class ClusterFormation {

  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);

  private ClusterFormation() {}

  /**
   * Refuses a configuration that asks for both ways in, before an actor system joins the seed
   * nodes.
   */
  static void check(Config config) {
    if (config.getBoolean("clawbots.management.bootstrap")
        && !config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      throw new IllegalArgumentException(
          "clawbots.management.bootstrap is on, but pekko.cluster.seed-nodes is set: a node joins"
              + " through one or the other (kubernetes.conf empties the seed nodes)");
    }
  }

  /** Starts what {@code clawbots.management} asks for on {@code system}; nothing by default. */
  static void start(ActorSystem<?> system, Config config) {
    boolean bootstrap = config.getBoolean("clawbots.management.bootstrap");
    if (bootstrap || config.getBoolean("clawbots.management.enabled")) {
      PekkoManagement.get(system)
          .start()
          .whenComplete(
              (uri, failure) -> {
                if (failure != null) {
                  log.error("Pekko Management did not start: {}", failure.toString());
                } else {
                  log.info("Pekko Management at {}", uri);
                }
              });
    }
    if (bootstrap) {
      ClusterBootstrap.get(system).start();
      log.info(
          "joining the cluster through cluster bootstrap ({})",
          config.getString(
              "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    }
  }
}
