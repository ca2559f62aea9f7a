package dev.clawbots.gateway;

import dev.clawbots.region.RegionMetrics;
import kamon.Kamon;

/**
 * The regions' metrics in Kamon, for the regions this node hosts: {@code
 * clawbots_tick_duration_seconds{region}} (the time to step a region up to now), {@code
 * clawbots_journal_write_seconds{region}} (one persist, from call to stored) and {@code
 * clawbots_agents_online{region}}. A region that stops on this node (passivated, or moved to
 * another) has its gauge removed, so that summing over nodes never counts an agent twice.
 */
final class KamonRegionMetrics implements RegionMetrics {

  static final String TICK = "clawbots.tick.duration";
  static final String JOURNAL_WRITE = "clawbots.journal.write";
  static final String AGENTS_ONLINE = "clawbots.agents_online";

  @Override
  public void stepped(String regionId, long nanos) {
    Kamon.timer(TICK, "time to step a region up to the current tick")
        .withTag("region", regionId)
        .record(nanos);
  }

  @Override
  public void journaled(String regionId, int events, long nanos) {
    Kamon.timer(JOURNAL_WRITE, "time for the journal to store one write of a region's events")
        .withTag("region", regionId)
        .record(nanos);
  }

  @Override
  public void population(String regionId, int agents) {
    Kamon.gauge(AGENTS_ONLINE, "agents in a region hosted on this node")
        .withTag("region", regionId)
        .update(agents);
  }

  @Override
  public void stopped(String regionId) {
    Kamon.gauge(AGENTS_ONLINE).withTag("region", regionId).remove();
  }
}
