package dev.clawbots.opensim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers what the bridge reported, for tests. */
final class RecordingMetrics implements BridgeMetrics {

  final Map<String, Integer> sent = new ConcurrentHashMap<>();
  final Map<String, Integer> dropped = new ConcurrentHashMap<>();
  final Map<String, Integer> queued = new ConcurrentHashMap<>();
  final Map<String, Integer> resyncs = new ConcurrentHashMap<>();
  final Map<String, Double> drift = new ConcurrentHashMap<>();
  final Map<String, Integer> unmirrored = new ConcurrentHashMap<>();
  volatile String breaker = "";

  @Override
  public void sent(String regionId, int commands) {
    sent.merge(regionId, commands, Integer::sum);
  }

  @Override
  public void dropped(String regionId, String reason, int count) {
    dropped.merge(regionId + "/" + reason, count, Integer::sum);
  }

  @Override
  public void queued(String regionId, int waiting) {
    queued.put(regionId, waiting);
  }

  @Override
  public void breaker(String state) {
    breaker = state;
  }

  @Override
  public void resynced(String regionId) {
    resyncs.merge(regionId, 1, Integer::sum);
  }

  @Override
  public void drift(String regionId, double metres) {
    drift.put(regionId, metres);
  }

  @Override
  public void unmirrored(String regionId, int agents) {
    unmirrored.put(regionId, agents);
  }

  int dropped(String regionId, String reason) {
    return dropped.getOrDefault(regionId + "/" + reason, 0);
  }
}
