package dev.clawbots.opensim;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the bridge reaches its grid and how it paces itself, from {@code clawbots.opensim} ({@code
 * opensim.conf}). No {@code url} means no bridge.
 *
 * @param url the RemoteAdmin endpoint, such as {@code http://grid.example:9000/}
 * @param regions world region id to OpenSim region name; empty means each world region is mirrored
 *     into the OpenSim region of its own display name
 * @param chatQueue how many chat lines and emotes wait per region before the oldest is dropped
 * @param chatPerSecond channel-0 messages sent per region and second (OpenSim throttles past 11)
 * @param npcCap NPCs the bridge creates per region at most (OpenSim's {@code
 *     MaxNumberNPCsPerScene}; 0 for no cap of our own)
 * @param batchBytes the largest batch POSTed to the relay script, in UTF-8 bytes
 * @param pingInterval how often a grid that is up is pinged, so that health sees an outage even
 *     while nothing is sent
 */
public record BridgeSettings(
    Optional<URI> url,
    String password,
    String relaySecret,
    Map<String, String> regions,
    int chatQueue,
    int chatPerSecond,
    Duration backoffFloor,
    Duration backoffCeiling,
    Duration misconfiguredRecheck,
    int npcCap,
    Duration driftInterval,
    double driftTolerance,
    Duration requestTimeout,
    Duration relayTimeout,
    int batchBytes,
    Duration stepInterval,
    Duration pingInterval) {

  public BridgeSettings {
    regions = Map.copyOf(regions);
    if (chatQueue < 1 || chatPerSecond < 1 || batchBytes < 256 || npcCap < 0) {
      throw new IllegalArgumentException(
          "clawbots.opensim: chat-queue and chat-per-second must be at least 1, batch-bytes at"
              + " least 256, npc-cap 0 or more");
    }
    if (backoffFloor.isNegative()
        || backoffFloor.isZero()
        || backoffCeiling.compareTo(backoffFloor) < 0) {
      throw new IllegalArgumentException(
          "clawbots.opensim: backoff-floor must be positive and backoff-ceiling at least as long");
    }
  }

  /** Reads {@code clawbots.opensim}. */
  public static BridgeSettings from(Config config) {
    Config c = config.getConfig("clawbots.opensim");
    String url = c.getString("url").trim();
    Map<String, String> regions = new LinkedHashMap<>();
    Config mapped = c.getConfig("regions");
    for (String key : mapped.root().keySet()) {
      regions.put(key, mapped.getString("\"" + key + "\""));
    }
    // OPENSIM_REGIONS="main=ClawBots Main,harbor=ClawBots Harbor" adds to (and overrides) them.
    for (String pair : c.getString("regions-list").split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException(
            "clawbots.opensim.regions-list: expected region=OpenSim Name, got \"" + pair + "\"");
      }
      regions.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return new BridgeSettings(
        url.isEmpty() ? Optional.empty() : Optional.of(URI.create(url)),
        c.getString("password"),
        c.getString("relay-secret"),
        regions,
        c.getInt("chat-queue"),
        c.getInt("chat-per-second"),
        c.getDuration("backoff-floor"),
        c.getDuration("backoff-ceiling"),
        c.getDuration("misconfigured-recheck"),
        c.getInt("npc-cap"),
        c.getDuration("drift-interval"),
        c.getDouble("drift-tolerance"),
        c.getDuration("request-timeout"),
        c.getDuration("relay-timeout"),
        c.getInt("batch-bytes"),
        c.getDuration("step-interval"),
        c.getDuration("ping-interval"));
  }

  /** A copy with another region mapping. */
  public BridgeSettings withRegions(Map<String, String> mapping) {
    return new BridgeSettings(
        url,
        password,
        relaySecret,
        mapping,
        chatQueue,
        chatPerSecond,
        backoffFloor,
        backoffCeiling,
        misconfiguredRecheck,
        npcCap,
        driftInterval,
        driftTolerance,
        requestTimeout,
        relayTimeout,
        batchBytes,
        stepInterval,
        pingInterval);
  }

  /** Where the bridge points, in one line for the log; never the password or secret. */
  public String describe() {
    return url.map(u -> "OpenSim bridge to " + u + " for " + regions.keySet())
        .orElse("no OpenSim bridge");
  }
}
