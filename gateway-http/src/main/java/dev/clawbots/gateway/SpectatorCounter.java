package dev.clawbots.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Gauge;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * This node's spectators that follow an agent or watch a region now: {@code
 * clawbots_spectators_active}.
 */
final class SpectatorCounter {

  static final String ACTIVE = "clawbots.spectators.active";

  private final Set<ActorRef<SpectatorConnection.Command>> watching = ConcurrentHashMap.newKeySet();
  private final Gauge gauge =
      Kamon.gauge(ACTIVE, "spectators following an agent or watching a region on this node")
          .withoutTags();

  void watching(ActorRef<SpectatorConnection.Command> spectator) {
    if (watching.add(spectator)) {
      gauge.increment();
    }
  }

  void idle(ActorRef<SpectatorConnection.Command> spectator) {
    if (watching.remove(spectator)) {
      gauge.decrement();
    }
  }

  int count() {
    return watching.size();
  }
}
