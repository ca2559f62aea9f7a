package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.Principal;
import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.region.Agent;
import dev.clawbots.region.AgentAction;
import dev.clawbots.region.RegionReply;
import dev.clawbots.world.Permission;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * What an agent's message asks of its entity ({@link Agent}), the same over REST and the agent
 * WebSocket: a join of the region it names (or the agent's default region), a leave, or an action
 * that first joins the default region when the agent is in none.
 */
final class AgentCommands {

  private final ActorSystem<?> system;
  private final String defaultRegion;
  private final Duration askTimeout;

  AgentCommands(ActorSystem<?> system, String defaultRegion) {
    this.system = system;
    this.defaultRegion = defaultRegion;
    this.askTimeout = system.settings().config().getDuration("clawbots.region.ask-timeout");
  }

  /** The command for {@code action}, as the agent's registration and token say. */
  Function<ActorRef<RegionReply>, Agent.Command> command(
      ClientMessage.Action action, AgentRecord agent, Principal principal) {
    String home = agent.defaultRegion() != null ? agent.defaultRegion() : defaultRegion;
    if (action instanceof ClientMessage.Join j) {
      return r ->
          new Agent.Join(
              j.regionId().orElse(home),
              j.position().orElse(null),
              agent.name(),
              principal.permissions(),
              r);
    }
    if (action instanceof ClientMessage.Leave) {
      return Agent.Leave::new;
    }
    Agent.Join orJoin = new Agent.Join(home, null, agent.name(), principal.permissions(), null);
    AgentAction a;
    if (action instanceof ClientMessage.Move m) {
      a = new AgentAction.Move(m.to(), m.speed().isPresent() ? m.speed().getAsDouble() : null);
    } else if (action instanceof ClientMessage.Speak s) {
      a = new AgentAction.Speak(s.text(), s.volume(), s.to().orElse(null));
    } else {
      a = new AgentAction.Emote(((ClientMessage.Emote) action).emote());
    }
    return r -> new Agent.Act(a, orJoin, r);
  }

  /** A perception of the agent's surroundings; {@code not_found} when it is in no region. */
  static Function<ActorRef<RegionReply>, Agent.Command> perceive() {
    return r -> new Agent.Act(new AgentAction.Perceive(), null, r);
  }

  /** The permission {@code action} needs, if any (join and leave need none). */
  static Optional<Permission> permissionFor(ClientMessage.Action action) {
    if (action instanceof ClientMessage.Move) {
      return Optional.of(Permission.MOVE);
    }
    if (action instanceof ClientMessage.Speak) {
      return Optional.of(Permission.SPEAK);
    }
    if (action instanceof ClientMessage.Emote) {
      return Optional.of(Permission.EMOTE);
    }
    return Optional.empty();
  }

  /**
   * Asks the agent's entity; a region that does not answer in time is {@code unavailable}, never a
   * failed stage.
   */
  CompletionStage<RegionReply> ask(
      String agentId, Function<ActorRef<RegionReply>, Agent.Command> command) {
    // The entity itself waits up to ask-timeout for each region it asks: give it room for two.
    return AskPattern.<Agent.Command, RegionReply>ask(
            entity(agentId), command::apply, askTimeout.multipliedBy(3), system.scheduler())
        .exceptionally(
            failure -> RegionReply.Rejected.unavailable("the agent's region did not answer"));
  }

  EntityRef<Agent.Command> entity(String agentId) {
    return ClusterSharding.get(system).entityRefFor(Agent.ENTITY_KEY, agentId);
  }

  Duration askTimeout() {
    return askTimeout;
  }
}
