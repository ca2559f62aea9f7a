package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawbots.world.DecisionRules;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads an agent's message ({@link ClientMessage}) from JSON. Anything wrong with it is a {@code
 * bad_request} that names the field and keeps the client's {@code id} when one could be read, so
 * that a WebSocket client can match the error to what it sent. Nothing here closes a connection.
 */
final class ClientMessages {

  /** A message's text over this many UTF-8 bytes is refused before it is read as JSON. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** The message kinds REST's actions endpoint takes. */
  static final Set<String> ACTIONS = Set.of("join", "leave", "move", "speak", "emote");

  /** An unreadable message, with the {@code id} it carried if that much could be read. */
  static final class Unreadable extends RuntimeException {
    private final transient JsonNode id;
    private final ApiError error;

    Unreadable(JsonNode id, ApiError error) {
      super(error.message(), null, false, false);
      this.id = id;
      this.error = error;
    }

    JsonNode id() {
      return id;
    }

    ApiError error() {
      return error;
    }
  }

  private ClientMessages() {}

  /**
   * The message in {@code text}.
   *
   * @throws Unreadable when it is not valid JSON, not an object, of no or an unknown {@code type},
   *     or has a field of the wrong type or size
   */
  static ClientMessage parse(String text) {
    RequestJson json;
    try {
      json = RequestJson.parse(text);
    } catch (ApiError.Failure bad) {
      throw new Unreadable(null, bad.error());
    }
    JsonNode id = json.raw("id");
    if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
      throw new Unreadable(null, ApiError.badRequest("id must be a string or a whole number"));
    }
    try {
      String type = json.text("type", 32);
      return switch (type) {
        case "join" -> join(id, json);
        case "leave" -> new ClientMessage.Leave(id);
        case "move" ->
            new ClientMessage.Move(id, json.position("to"), json.optionalNumber("speed"));
        case "speak" -> speak(id, json);
        case "emote" ->
            new ClientMessage.Emote(id, json.text("emote", DecisionRules.MAX_EMOTE_BYTES));
        case "perceive" -> new ClientMessage.Perceive(id);
        case "ping" -> new ClientMessage.Ping(id);
        default ->
            throw RequestJson.bad(
                "unknown type '"
                    + type
                    + "'; one of join, leave, move, speak, emote, perceive, ping");
      };
    } catch (ApiError.Failure bad) {
      throw new Unreadable(id, bad.error());
    }
  }

  private static ClientMessage join(JsonNode id, RequestJson json) {
    Optional<String> region = json.optionalText("region_id", 64);
    region
        .filter(r -> !r.matches("[a-z0-9-]{1,64}"))
        .ifPresent(
            r -> {
              throw RequestJson.bad("region_id must match [a-z0-9-]{1,64}");
            });
    OptionalLong resume = json.optionalWholeNumber("resume_after_seq");
    if (resume.isPresent() && resume.getAsLong() < 0) {
      throw RequestJson.bad("resume_after_seq must be 0 or more");
    }
    OptionalLong hz = json.optionalWholeNumber("perception_hz");
    if (hz.isPresent() && (hz.getAsLong() < 0 || hz.getAsLong() > 5)) {
      throw RequestJson.bad("perception_hz must be a whole number from 0 to 5");
    }
    return new ClientMessage.Join(
        id,
        region,
        json.optionalPosition("position"),
        resume,
        hz.isPresent() ? OptionalInt.of((int) hz.getAsLong()) : OptionalInt.empty());
  }

  private static ClientMessage speak(JsonNode id, RequestJson json) {
    String text = json.text("text", DecisionRules.MAX_TEXT_BYTES);
    return new ClientMessage.Speak(id, text, json.volume("volume"), json.optionalText("to", 64));
  }
}
