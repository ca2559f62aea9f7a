package dev.clawbots.region;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;

/**
 * An action an agent takes in the region it is in, as it travels to the agent's entity ({@link
 * Agent}) wherever that runs: plain data, which the entity turns into a {@link RegionCommand}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AgentAction.Move.class, name = "move"),
  @JsonSubTypes.Type(value = AgentAction.Speak.class, name = "speak"),
  @JsonSubTypes.Type(value = AgentAction.Emote.class, name = "emote"),
  @JsonSubTypes.Type(value = AgentAction.Perceive.class, name = "perceive"),
  @JsonSubTypes.Type(value = AgentAction.Prompt.class, name = "prompt")
})
public sealed interface AgentAction extends CborSerializable {

  /** Walk towards {@code to}; {@code speed} null means the default. */
  record Move(Vec3 to, Double speed) implements AgentAction {}

  /** {@code volume} null means normal; {@code to} set makes the message private. */
  record Speak(String text, ChatRange volume, String to) implements AgentAction {}

  record Emote(String emote) implements AgentAction {}

  /** Answered with {@link RegionReply.Perceived}. */
  record Perceive() implements AgentAction {}

  /**
   * Not the agent's own action: a spectator's suggestion to it, journaled in its region as a {@code
   * prompt} event that reaches the agent.
   */
  record Prompt(String spectatorId, String spectatorName, String text) implements AgentAction {}
}
