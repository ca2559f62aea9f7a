package dev.clawbots.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A JSON object sent by a client, read strictly: every field is checked for presence, type and
 * size, and what is wrong comes back as a {@code bad_request} naming the field, never as a parser's
 * stack trace. The same reading serves REST bodies and WebSocket messages.
 */
final class RequestJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build());
  }

  private final ObjectNode node;

  private RequestJson(ObjectNode node) {
    this.node = node;
  }

  /** {@code text} as a JSON object; a {@code bad_request} failure when it is not one. */
  static RequestJson parse(String text) {
    JsonNode parsed;
    try {
      parsed = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw bad("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (parsed == null || !parsed.isObject()) {
      throw bad("the body must be a JSON object");
    }
    return new RequestJson((ObjectNode) parsed);
  }

  /** An empty object: for requests whose body is optional. */
  static RequestJson empty() {
    return new RequestJson(MAPPER.createObjectNode());
  }

  /** A field as it was sent, or null when absent. */
  JsonNode raw(String field) {
    return node.get(field);
  }

  /** A required string of 1 to {@code maxBytes} UTF-8 bytes. */
  String text(String field, int maxBytes) {
    return optionalText(field, maxBytes).orElseThrow(() -> bad(field + " is required"));
  }

  Optional<String> optionalText(String field, int maxBytes) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw bad(field + " must be a string");
    }
    String text = value.textValue();
    if (text.isEmpty()) {
      throw bad(field + " must not be empty");
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      throw bad(field + " is " + bytes + " UTF-8 bytes, more than " + maxBytes);
    }
    return Optional.of(text);
  }

  /** A chat volume ({@code whisper}, {@code normal}, {@code shout}); normal when absent. */
  ChatRange volume(String field) {
    return optionalText(field, 16)
        .map(
            v ->
                ChatRange.fromWire(v)
                    .orElseThrow(() -> bad(field + " must be whisper, normal or shout")))
        .orElse(ChatRange.NORMAL);
  }

  Optional<Boolean> optionalBoolean(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw bad(field + " must be true or false");
    }
    return Optional.of(value.booleanValue());
  }

  OptionalDouble optionalNumber(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(finite(field, value));
  }

  OptionalLong optionalWholeNumber(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return OptionalLong.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw bad(field + " must be a whole number");
    }
    return OptionalLong.of(value.longValue());
  }

  /** A position {@code {"x", "y", "z"}} of finite numbers; range is the region's to check. */
  Optional<Vec3> optionalPosition(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw bad(field + " must be an object {\"x\", \"y\", \"z\"}");
    }
    double[] xyz = new double[3];
    String[] axes = {"x", "y", "z"};
    for (int i = 0; i < 3; i++) {
      JsonNode axis = value.get(axes[i]);
      if (axis == null || axis.isNull()) {
        throw bad(field + "." + axes[i] + " is required");
      }
      xyz[i] = finite(field + "." + axes[i], axis);
    }
    return Optional.of(new Vec3(xyz[0], xyz[1], xyz[2]));
  }

  Vec3 position(String field) {
    return optionalPosition(field).orElseThrow(() -> bad(field + " is required"));
  }

  private static double finite(String field, JsonNode value) {
    if (!value.isNumber()) {
      throw bad(field + " must be a number");
    }
    double d = value.doubleValue();
    if (!Double.isFinite(d)) {
      throw bad(field + " must be a finite number");
    }
    return d;
  }

  static ApiError.Failure bad(String message) {
    return new ApiError.Failure(ApiError.badRequest(message));
  }
}
