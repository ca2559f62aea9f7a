package dev.clawbots.region;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A region's side of handing agents to its neighbours: send each crossing to the region across the
 * edge, and try again, with growing pauses, until it is acknowledged. What is pending lives in the
 * journal ({@link RegionState#pendingHandovers}); this only counts attempts.
 */
final class Handovers {

  /** The answer to one attempt, delivered to the region as a command. */
  record Answered(String handoverId, boolean accepted, String problem)
      implements RegionCommand.Internal {}

  /** Time to try a hand-over again. */
  record Retry(String handoverId) implements RegionCommand.Internal {}

  private final String regionId;
  private final RegionEnvironment env;
  private final ActorContext<RegionCommand> context;
  private final TimerScheduler<RegionCommand> timers;
  private final Map<String, Integer> attempts = new HashMap<>();

  Handovers(
      String regionId,
      RegionEnvironment env,
      ActorContext<RegionCommand> context,
      TimerScheduler<RegionCommand> timers) {
    this.regionId = regionId;
    this.env = env;
    this.context = context;
    this.timers = timers;
  }

  /** Hands a crossing to its destination; the answer comes back as {@link Answered}. */
  void send(RegionEvent.CrossedOut c) {
    RecipientRef<RegionCommand> destination = env.regions().apply(c.toRegion());
    if (destination == null) {
      context
          .getSelf()
          .tell(new Answered(c.handoverId(), false, "no way to reach " + c.toRegion()));
      return;
    }
    context.ask(
        RegionReply.class,
        destination,
        env.settings().handoverTimeout(),
        replyTo ->
            new RegionCommand.AcceptCrossing(c.handoverId(), regionId, c.crossing(), replyTo),
        (reply, failure) -> {
          if (reply instanceof RegionReply.Accepted) {
            return new Answered(c.handoverId(), true, null);
          }
          String problem = failure != null ? failure.getMessage() : String.valueOf(reply);
          return new Answered(c.handoverId(), false, problem);
        });
  }

  /** Forgets the attempts of an acknowledged hand-over. */
  void acknowledged(String handoverId) {
    attempts.remove(handoverId);
    timers.cancel(timerKey(handoverId));
  }

  /** Schedules the next attempt of a refused or unanswered hand-over. */
  void retryLater(Answered failed) {
    int attempt = attempts.merge(failed.handoverId(), 1, Integer::sum);
    Duration wait = backoff(attempt);
    context
        .getLog()
        .warn(
            "region {}: hand-over {} not acknowledged ({}); retry {} in {} ms",
            regionId,
            failed.handoverId(),
            failed.problem(),
            attempt,
            wait.toMillis());
    timers.startSingleTimer(timerKey(failed.handoverId()), new Retry(failed.handoverId()), wait);
  }

  private Duration backoff(int attempt) {
    long millis = 200L << Math.min(attempt, 10);
    return Duration.ofMillis(Math.min(millis, env.settings().handoverBackoffMax().toMillis()));
  }

  private static String timerKey(String handoverId) {
    return "handover-" + handoverId;
  }
}
