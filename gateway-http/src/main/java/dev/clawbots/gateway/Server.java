package dev.clawbots.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.clawbots.persistence.JournalConfig;
import dev.clawbots.persistence.JournalSchema;
import dev.clawbots.persistence.ReadSideSchema;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server: one node of the world. {@link #main} runs it from {@code application.conf} and the
 * environment; {@link #start} runs one from any configuration, which is how tests start whole
 * servers on free ports. Stopping runs the actor system's coordinated shutdown: the HTTP port stops
 * accepting, requests in progress get {@code clawbots.http.shutdown-deadline} to finish, regions
 * are handed over to the other nodes, and the node leaves the cluster.
 */
public final class Server {

  private static final Logger log = LoggerFactory.getLogger(Server.class);

  private final ActorSystem<Void> system;
  private final Services services;
  private final ServerBinding binding;

  private Server(ActorSystem<Void> system, Services services, ServerBinding binding) {
    this.system = system;
    this.services = services;
    this.binding = binding;
  }

  public static void main(String[] args) throws Exception {
    keepCommonPoolFromStartingThreadsPerTask();
    Server server = start(ConfigFactory.load()).toCompletableFuture().get(2, TimeUnit.MINUTES);
    server.system.getWhenTerminated().toCompletableFuture().get();
  }

  /**
   * Pekko's Java API hands back asks as Scala's {@code CompletableFuture}s, whose plain callbacks
   * run on the common fork-join pool. With two cores that pool has parallelism 1, and the JDK then
   * starts a new thread for every callback: a JFR recording of a 10,000-agent load test counted
   * 32,000 thread starts in 60 s. At parallelism 2 or more the pool's own threads run them. Set
   * before anything touches the pool; an explicit {@code -D} of the same property wins.
   */
  static void keepCommonPoolFromStartingThreadsPerTask() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null) {
      System.setProperty(
          property, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  /**
   * Starts a node: the database's schema (journal and read side) is created or migrated, the
   * regions start on the cluster, the read side and the fan-out are wired, and the HTTP port is
   * bound. Completes once it listens.
   */
  public static CompletionStage<Server> start(Config loaded) throws SQLException {
    JournalConfig journal = JournalConfig.fromEnvironment(loaded);
    Config config = journal.applyTo(loaded);
    JournalSchema.createIfNotExists(config);
    ReadSideSchema.migrate(journal);

    ClusterFormation.check(config);

    // No instrumentation agent: the metrics are the ones this code records.
    Kamon.initWithoutAttaching(config);

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "clawbots", config);
    ClusterFormation.start(system, config);
    Services services = Services.start(system, config, journal);
    CoordinatedShutdown.get(system).addJvmShutdownHook(services::close);

    String host = config.getString("clawbots.http.host");
    int port = config.getInt("clawbots.http.port");
    Duration deadline = config.getDuration("clawbots.http.shutdown-deadline");
    Gatekeeping gate = Gatekeeping.start(system, config, services);
    SocketCounter sockets = new SocketCounter();
    // Before the port stops accepting: open sockets are told where to resume, then closed.
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "close-agent-websockets",
            () -> {
              sockets.goAway();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    ApiRoutes routes = new ApiRoutes(services, gate, MetricsRoute.create(), sockets);
    return Http.get(system)
        .newServerAt(host, port)
        .bind(routes.route())
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(deadline, system);
              log.info(
                  "ClawBots World listening on http://{}:{}; {}; token secret {}",
                  host,
                  binding.localAddress().getPort(),
                  services.describe(),
                  gate.secretSource());
              return new Server(system, services, binding);
            })
        .whenComplete(
            (server, failure) -> {
              if (failure != null) {
                log.error("could not listen on {}:{}: {}", host, port, failure.toString());
                services.close();
                system.terminate();
              }
            });
  }

  /** The port the server listens on (the configured one, or the one chosen for port 0). */
  public int port() {
    return binding.localAddress().getPort();
  }

  Services services() {
    return services;
  }

  /** Stops the node the way a SIGTERM does, and completes when it has. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system)
        .runAll(CoordinatedShutdown.unknownReason())
        .thenApply(
            done -> {
              services.close();
              return done;
            });
  }
}
