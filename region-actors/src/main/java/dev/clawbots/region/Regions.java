package dev.clawbots.region;

import dev.clawbots.world.RegionSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * How the rest of the server talks to regions: through sharding, wherever a region runs. An ask
 * always completes: a region that does not answer in time (its node is gone, its journal is down)
 * gives an {@code unavailable} rejection, never a hang.
 */
public final class Regions {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public Regions(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
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
    return sharding
        .entityRefFor(Region.ENTITY_KEY, regionId)
        .ask(command::apply, askTimeout)
        .exceptionally(
            failure ->
                RegionReply.Rejected.unavailable(
                    "region "
                        + regionId
                        + " did not answer within "
                        + askTimeout.toMillis()
                        + " ms"));
  }
}
