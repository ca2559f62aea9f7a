package dev.clawbots.region;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How regions behave, read from {@code clawbots.region} (defaults in this module's {@code
 * reference.conf}).
 *
 * @param automaticTicks whether the region runs its own timers; tests turn them off and send the
 *     timer messages by hand
 * @param snapshotEvery snapshot after this many journaled events
 * @param snapshotsKept how many snapshots to keep; older snapshots are deleted, events never are
 *     (the read side reads them from the journal by tag)
 * @param passivateAfter how long an empty region waits before it stops
 * @param agentIdleTimeout how long an agent may go without a decision before it is made to leave
 * @param housekeepingInterval how often the region looks for idle agents and emptiness
 * @param handoverTimeout how long to wait for a neighbour to acknowledge a crossing
 * @param handoverBackoffMax the longest wait between retries of a crossing
 * @param restartBackoffMin the first wait before a region whose journal failed restarts
 * @param restartBackoffMax the longest such wait
 */
public record RegionSettings(
    boolean automaticTicks,
    int snapshotEvery,
    int snapshotsKept,
    Duration passivateAfter,
    Duration agentIdleTimeout,
    Duration housekeepingInterval,
    Duration handoverTimeout,
    Duration handoverBackoffMax,
    Duration restartBackoffMin,
    Duration restartBackoffMax) {

  public static RegionSettings from(Config config) {
    Config c = config.getConfig("clawbots.region");
    return new RegionSettings(
        c.getBoolean("automatic-ticks"),
        c.getInt("snapshot-every"),
        c.getInt("snapshots-kept"),
        c.getDuration("passivate-after"),
        c.getDuration("agent-idle-timeout"),
        c.getDuration("housekeeping-interval"),
        c.getDuration("handover-timeout"),
        c.getDuration("handover-backoff-max"),
        c.getDuration("restart-backoff-min"),
        c.getDuration("restart-backoff-max"));
  }

  public RegionSettings withAutomaticTicks(boolean on) {
    return new RegionSettings(
        on,
        snapshotEvery,
        snapshotsKept,
        passivateAfter,
        agentIdleTimeout,
        housekeepingInterval,
        handoverTimeout,
        handoverBackoffMax,
        restartBackoffMin,
        restartBackoffMax);
  }
}
