package dev.clawbots.region;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What an agent's entity journals: where the agent is. The regions journal what it does there; this
 * is only the index that keeps an agent in one region at a time.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AgentEvent.Entered.class, name = "entered"),
  @JsonSubTypes.Type(value = AgentEvent.Exited.class, name = "exited")
})
public sealed interface AgentEvent extends CborSerializable {

  String agentId();

  /** The agent is in {@code regionId} from now on (a join, or a crossing into it). */
  record Entered(String agentId, String regionId) implements AgentEvent {}

  /** The agent left {@code regionId} and is in no region (a leave, or idle). */
  record Exited(String agentId, String regionId) implements AgentEvent {}
}
