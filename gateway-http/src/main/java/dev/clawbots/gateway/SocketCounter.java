package dev.clawbots.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Gauge;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The node's open agent WebSockets: counted for {@code clawbots_websocket_connections} and {@code
 * /health/full}, and told to go away when the server stops.
 */
final class SocketCounter {

  static final String CONNECTIONS = "clawbots.websocket.connections";

  private final Set<ActorRef<AgentConnection.Command>> open = ConcurrentHashMap.newKeySet();
  private final Gauge gauge =
      Kamon.gauge(CONNECTIONS, "agent WebSocket connections open on this node").withoutTags();

  void opened(ActorRef<AgentConnection.Command> connection) {
    if (open.add(connection)) {
      gauge.increment();
    }
  }

  void closed(ActorRef<AgentConnection.Command> connection) {
    if (open.remove(connection)) {
      gauge.decrement();
    }
  }

  int count() {
    return open.size();
  }

  /** Tells every open connection that the server is stopping. */
  void goAway() {
    open.forEach(c -> c.tell(new AgentConnection.GoAway()));
  }
}
