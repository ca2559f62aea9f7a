package dev.clawbots.gateway;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The agent WebSocket's settings ({@code clawbots.websocket} in {@code gateway.conf}).
 *
 * @param buffer messages queued for a client, at most; a client that lets it fill is closed and
 *     told where to resume
 * @param idleTimeout a connection whose client sends nothing for this long is closed
 * @param recheck how often a connection checks its token again (revocation) and attaches again to
 *     its agent's entity
 * @param leaveGrace how long a connection keeps hearing a region its agent left, for the events
 *     about the leaving that are still on their way
 * @param allowedOrigins the {@code Origin}s a browser may connect from; empty for any
 */
record SocketSettings(
    int buffer,
    Duration idleTimeout,
    Duration recheck,
    Duration leaveGrace,
    Set<String> allowedOrigins) {

  SocketSettings {
    if (buffer < 8) {
      throw new IllegalArgumentException("clawbots.websocket.buffer must be 8 or more");
    }
    allowedOrigins = Set.copyOf(allowedOrigins);
  }

  static SocketSettings from(Config config) {
    Config c = config.getConfig("clawbots.websocket");
    return new SocketSettings(
        c.getInt("buffer"),
        c.getDuration("idle-timeout"),
        c.getDuration("recheck"),
        c.getDuration("leave-grace"),
        Arrays.stream(c.getString("allowed-origins").split(","))
            .map(String::trim)
            .filter(o -> !o.isEmpty())
            .collect(Collectors.toSet()));
  }

  /** Whether a browser at {@code origin} may connect; clients that send none always may. */
  boolean allows(String origin) {
    return allowedOrigins.isEmpty() || origin == null || allowedOrigins.contains(origin);
  }

  /** The 403 for a browser whose {@code origin} may not open {@code sockets} WebSockets, if so. */
  Optional<HttpResponse> originRefusal(Optional<String> origin, String sockets) {
    if (allows(origin.orElse(null))) {
      return Optional.empty();
    }
    return Optional.of(
        ApiError.of(
                "forbidden", "origin " + origin.get() + " may not open " + sockets + " WebSockets")
            .response());
  }
}
