package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What an agent sends: over the agent WebSocket every kind, over REST ({@code POST
 * /v1/agents/{id}/actions}) the actions. Each carries the client's {@code id}, if any, as given (a
 * string or a number), so that the reply can echo it. {@link ClientMessages#parse} builds them from
 * JSON, and checks shapes and types; the world's rules (bounds, speeds, text sizes) are the
 * region's to check.
 */
sealed interface ClientMessage {

  /** The client's {@code id}, echoed in the reply; null when it sent none. */
  JsonNode id();

  /** An action that changes the world (and is rate limited as one). */
  sealed interface Action extends ClientMessage {}

  /**
   * Enter the world: {@code region_id} (the agent's default region when absent), {@code position}
   * (near the region's spawn point when absent), {@code resume_after_seq} (first what the agent
   * missed), {@code perception_hz} (0 to 5, pushes of perception; WebSocket only).
   */
  record Join(
      JsonNode id,
      Optional<String> regionId,
      Optional<Vec3> position,
      OptionalLong resumeAfterSeq,
      OptionalInt perceptionHz)
      implements Action {}

  record Leave(JsonNode id) implements Action {}

  /** Walk towards {@code to}; {@code speed} in m/s, the default 3.2 when absent. */
  record Move(JsonNode id, Vec3 to, OptionalDouble speed) implements Action {}

  /** Say {@code text}: {@code volume} normal when absent; {@code to} set makes it private. */
  record Speak(JsonNode id, String text, ChatRange volume, Optional<String> to) implements Action {}

  /** A gesture ({@code wave}, {@code nod}, ...) or free text. */
  record Emote(JsonNode id, String emote) implements Action {}

  record Perceive(JsonNode id) implements ClientMessage {}

  record Ping(JsonNode id) implements ClientMessage {}
}
