package dev.clawbots.region;

import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A region's clockwork: the tick timer, which runs only while someone walks, so that a region of
 * standing agents costs next to nothing; the housekeeping timer; and passivation once the region
 * has been empty for long enough.
 */
final class RegionTimers {

  /** Step the world to the current tick. */
  enum Tick implements RegionCommand.Internal {
    INSTANCE
  }

  /** Look for idle agents, and for emptiness. */
  enum Housekeeping implements RegionCommand.Internal {
    INSTANCE
  }

  private final RegionEnvironment env;
  private final ActorContext<RegionCommand> context;
  private final TimerScheduler<RegionCommand> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private boolean ticking;
  private Instant emptySince;

  RegionTimers(
      RegionEnvironment env,
      ActorContext<RegionCommand> context,
      TimerScheduler<RegionCommand> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    this.env = env;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
  }

  void startHousekeeping() {
    if (env.settings().automaticTicks()) {
      timers.startTimerWithFixedDelay(Housekeeping.INSTANCE, env.settings().housekeepingInterval());
    }
  }

  /** Runs the tick timer while anyone walks, and stops it when nobody does. */
  void keepTicking(RegionState s) {
    boolean needed = env.settings().automaticTicks() && s.sim.walking() > 0;
    if (needed && !ticking) {
      timers.startTimerAtFixedRate("tick", Tick.INSTANCE, env.clock().tickInterval());
    } else if (!needed && ticking) {
      timers.cancel("tick");
    }
    ticking = needed;
  }

  /**
   * Asks the shard to passivate the region once it has been empty, with nothing to hand over and
   * nothing happening, for {@code passivate-after}. Outside sharding there is no shard to ask.
   */
  void passivateIfLongEmpty(RegionState s, boolean quiet) {
    if (s.sim.population() > 0 || !s.pendingHandovers.isEmpty() || !quiet) {
      emptySince = null;
      return;
    }
    Instant now = env.clock().instantOf(env.clock().currentTick());
    if (emptySince == null) {
      emptySince = now;
    } else if (shard != null
        && Duration.between(emptySince, now).compareTo(env.settings().passivateAfter()) >= 0) {
      context.getLog().debug("region has been empty since {}: passivating", emptySince);
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }
}
