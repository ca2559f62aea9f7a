package dev.clawbots.gateway;

import dev.clawbots.opensim.BridgeMetrics;
import kamon.Kamon;

/**
 * The OpenSim bridge's figures in Kamon: {@code clawbots_opensim_commands_sent_total{region}},
 * {@code clawbots_opensim_dropped_total{region,reason}}, {@code clawbots_opensim_queued{region}},
 * {@code clawbots_opensim_breaker_state} (0 closed, 1 open, 2 misconfigured), {@code
 * clawbots_opensim_resyncs_total{region}}, {@code clawbots_opensim_drift_meters{region}} and {@code
 * clawbots_opensim_unmirrored_agents{region}}.
 */
final class KamonBridgeMetrics implements BridgeMetrics {

  static final String SENT = "clawbots.opensim.commands_sent";
  static final String DROPPED = "clawbots.opensim.dropped";
  static final String QUEUED = "clawbots.opensim.queued";
  static final String BREAKER = "clawbots.opensim.breaker_state";
  static final String RESYNCS = "clawbots.opensim.resyncs";
  static final String DRIFT = "clawbots.opensim.drift_meters";
  static final String UNMIRRORED = "clawbots.opensim.unmirrored_agents";

  @Override
  public void sent(String regionId, int commands) {
    Kamon.counter(SENT, "NPC commands the relay scripts ran")
        .withTag("region", regionId)
        .increment(commands);
  }

  @Override
  public void dropped(String regionId, String reason, int count) {
    Kamon.counter(DROPPED, "chat lines and emotes not mirrored into the grid")
        .withTag("region", regionId)
        .withTag("reason", reason)
        .increment(count);
  }

  @Override
  public void queued(String regionId, int waiting) {
    Kamon.gauge(QUEUED, "chat lines, emotes and agent states waiting for the grid")
        .withTag("region", regionId)
        .update(waiting);
  }

  @Override
  public void breaker(String state) {
    double value =
        switch (state) {
          case "closed" -> 0;
          case "open" -> 1;
          default -> 2;
        };
    Kamon.gauge(BREAKER, "the grid's circuit breaker: 0 closed, 1 open, 2 misconfigured")
        .withoutTags()
        .update(value);
  }

  @Override
  public void resynced(String regionId) {
    Kamon.counter(RESYNCS, "regions' NPCs reconciled with their agents")
        .withTag("region", regionId)
        .increment();
  }

  @Override
  public void drift(String regionId, double metres) {
    Kamon.gauge(DRIFT, "farthest an NPC stood from its standing agent at the last read-back")
        .withTag("region", regionId)
        .update(metres);
  }

  @Override
  public void unmirrored(String regionId, int agents) {
    Kamon.gauge(UNMIRRORED, "agents without an NPC because the grid's NPC cap was reached")
        .withTag("region", regionId)
        .update(agents);
  }
}
