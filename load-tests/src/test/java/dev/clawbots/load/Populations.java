package dev.clawbots.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The virtual users of a run and the bounds that fail it, shared by the simulations: long-lived
 * agents ramped in and kept until the end of the plateau, agents that come and go during the
 * plateau (churn), and spectators ramped in once the agents are there.
 */
final class Populations {

  private static final List<String> ACTIONS = List.of("move", "speak", "emote", "perceive");

  final LoadSettings settings = LoadSettings.fromSystemProperties();
  final RunFigures figures = new RunFigures();
  private final Roster roster = Roster.fromServer(settings.target(), settings.regions());

  /** When the injection began: long-lived users stop at its end plus the run's length. */
  private final AtomicLong startedAt = new AtomicLong();

  private final AgentJourney agents = new AgentJourney(roster, figures, startedAt::get);

  Populations() {
    System.out.println("[load] " + settings);
  }

  HttpProtocolBuilder protocol() {
    return http.baseUrl(settings.target())
        .wsBaseUrl(settings.socketTarget())
        .acceptHeader("application/json")
        // Messages no check awaits (events, perception pushes, frames) are kept for
        // processUnmatchedMessages, which drains them every second or so.
        .wsUnmatchedInboundMessageBufferSize(2_000)
        .shareConnections();
  }

  /** Marks the start of the injection; called from the simulation's {@code before()}. */
  void started() {
    startedAt.set(System.currentTimeMillis());
  }

  private long endOfRun() {
    return startedAt.get() + settings.runLength().toMillis();
  }

  List<PopulationBuilder> agents() {
    List<PopulationBuilder> populations = new ArrayList<>();
    if (settings.agents() > 0) {
      populations.add(
          scenario("agents")
              .exec(agents.life(s -> endOfRun()))
              .injectOpen(rampUsers(settings.agents()).during(settings.ramp())));
    }
    if (settings.churnPerSecond() > 0) {
      long lifetime = settings.churnLifetime().toMillis();
      populations.add(
          scenario("churning agents")
              .exec(agents.life(s -> Math.min(System.currentTimeMillis() + lifetime, endOfRun())))
              .injectOpen(
                  nothingFor(settings.ramp()),
                  constantUsersPerSec(settings.churnPerSecond()).during(settings.duration())));
    }
    return populations;
  }

  /** Spectators come in over the ramp's second half or, with no agents of this run, at once. */
  List<PopulationBuilder> spectators() {
    if (settings.spectators() == 0) {
      return List.of();
    }
    SpectatorJourney journey = new SpectatorJourney(roster, figures, settings.spectatorMode());
    if (settings.agents() == 0) {
      roster.addAgentsOnline(settings.target());
    }
    Duration half = settings.ramp().dividedBy(2);
    return List.of(
        scenario("spectators")
            .exec(journey.life(s -> endOfRun()))
            .injectOpen(nothingFor(half), rampUsers(settings.spectators()).during(half)));
  }

  Assertion[] assertions() {
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().failedRequests().percent().lte(settings.maxErrorPercent()));
    if (settings.agents() > 0 || settings.churnPerSecond() > 0) {
      for (String action : ACTIONS) {
        assertions.add(
            details(action).responseTime().percentile(99.0).lt((int) settings.maxP99Millis()));
      }
    }
    return assertions.toArray(Assertion[]::new);
  }

  /**
   * Writes the cross-user figures, with a last line {@code verdict: ok} or {@code verdict: failed
   * (why)}: failed when no chat reached a neighbour or the speak-to-heard p99 is past its bound.
   * run.sh fails the run on it; throwing here instead would stop Gatling before its report.
   */
  void finish(String simulation) {
    figures.report(
        Path.of(
            System.getProperty(
                "figures.file",
                Path.of("target", "gatling", simulation + "-figures.txt").toString())),
        verdict());
  }

  private String verdict() {
    if (figures.counted("agents that never registered") > 0) {
      return "failed (agents that never registered: "
          + figures.counted("agents that never registered")
          + ")";
    }
    if (settings.agents() < 2 * settings.regions()) {
      return "ok (fewer than two agents a region: hearing not judged)";
    }
    long heard = figures.counted("chats heard by a neighbour");
    long p99 = figures.percentile("speak-to-heard ms", 99);
    if (heard == 0) {
      return "failed (no chat reached a neighbour)";
    }
    if (p99 > settings.maxHeardP99Millis()) {
      return "failed (speak-to-heard p99 "
          + p99
          + " ms is over "
          + settings.maxHeardP99Millis()
          + " ms)";
    }
    return "ok";
  }
}
