package dev.clawbots.region;

import dev.clawbots.world.RegionSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * How the rest of the server talks to regions: through sharding, wherever a region runs. An ask
 * always completes: a region that does not answer in time (its node is gone, its journal is down)
 * gives an {@code unavailable} rejection, never a hang.
 */
public final class Regions {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Scheduler scheduler;

  public Regions(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.scheduler = system.scheduler();
  }

  /** Regions asked with the configured {@code clawbots.region.ask-timeout}. */
  public static Regions of(ActorSystem<?> system) {
    return new Regions(
        system, system.settings().config().getDuration("clawbots.region.ask-timeout"));
  }

  public RecipientRef<RegionCommand> ref(String regionId) {
    return sharding.entityRefFor(Region.ENTITY_KEY, regionId);
  }

  public CompletionStage<RegionReply> ask(
      String regionId, Function<ActorRef<RegionReply>, RegionCommand> command) {
    if (!RegionSpec.isValidId(regionId)) {
      return CompletableFuture.completedFuture(
          new RegionReply.Rejected(
              "not_found", "UNKNOWN_REGION", "there is no region " + regionId));
    }
    return ask(sharding.entityRefFor(Region.ENTITY_KEY, regionId), command, askTimeout, scheduler);
  }

  /**
   * Asks one region, wherever {@code region} points, answering {@code unavailable} when it does not
   * reply within {@code timeout}.
   */
  public static CompletionStage<RegionReply> ask(
      RecipientRef<RegionCommand> region,
      Function<ActorRef<RegionReply>, RegionCommand> command,
      Duration timeout,
      Scheduler scheduler) {
    // The mapping runs on the thread that completes the ask. Without an executor, the stage that
    // AskPattern returns runs it on the common pool, which on a 2-core machine starts a new thread
    // for every reply.
    return AskPattern.<RegionCommand, RegionReply>ask(region, command::apply, timeout, scheduler)
        .handleAsync(
            (reply, failure) ->
                failure == null
                    ? reply
                    : RegionReply.Rejected.unavailable(
                        "the region did not answer within " + timeout.toMillis() + " ms"),
            Runnable::run);
  }
}
