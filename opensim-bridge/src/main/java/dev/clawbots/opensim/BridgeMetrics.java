package dev.clawbots.opensim;

/**
 * The port through which the bridge reports how it is doing; the server implements it with Kamon
 * ({@code docs/metrics.md}). Calls come from the bridge's worker and must return at once.
 */
public interface BridgeMetrics {

  /** Reports nothing. */
  BridgeMetrics NONE =
      new BridgeMetrics() {
        @Override
        public void sent(String regionId, int commands) {}

        @Override
        public void dropped(String regionId, String reason, int count) {}

        @Override
        public void queued(String regionId, int waiting) {}

        @Override
        public void breaker(String state) {}

        @Override
        public void resynced(String regionId) {}

        @Override
        public void drift(String regionId, double metres) {}

        @Override
        public void unmirrored(String regionId, int agents) {}
      };

  /** The relay script ran {@code commands} commands for the region. */
  void sent(String regionId, int commands);

  /**
   * {@code count} chat lines or emotes were not mirrored: {@code overflow} (the queue was full and
   * the oldest went), {@code unmirrored} (their agent has no NPC), {@code uncertain} (their batch
   * timed out in the script, so they may or may not have been said).
   */
  void dropped(String regionId, String reason, int count);

  /** What waits to be sent for the region now: chat lines, emotes and agents' states. */
  void queued(String regionId, int waiting);

  /** The grid's breaker: {@code closed}, {@code open} or {@code misconfigured}. */
  void breaker(String state);

  /** The region's NPCs were reconciled with its agents. */
  void resynced(String regionId);

  /** The farthest an NPC stood from its standing agent at the last read-back, in metres. */
  void drift(String regionId, double metres);

  /** Agents of the region that have no NPC because the grid's NPC cap was reached. */
  void unmirrored(String regionId, int agents);
}
