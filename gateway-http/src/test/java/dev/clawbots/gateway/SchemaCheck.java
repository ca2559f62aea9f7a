package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a schema of an OpenAPI 3.0 document, so that a test can hold the
 * server's answers to what the document says. It knows the keywords {@code openapi.yaml} uses and
 * reports any other as a problem rather than skip it, so that the document cannot say more than is
 * checked. It is stricter than JSON Schema in one way: an object schema with {@code properties} and
 * no {@code additionalProperties} admits no other property, because an answer must not carry what
 * the document does not describe.
 */
final class SchemaCheck {

  private static final Set<String> KNOWN =
      Set.of(
          "$ref",
          "oneOf",
          "type",
          "properties",
          "required",
          "additionalProperties",
          "items",
          "enum",
          "nullable",
          "format",
          "minimum",
          "maximum",
          "exclusiveMaximum",
          "pattern",
          "minLength",
          "maxLength",
          "description",
          "example",
          "default");

  private final JsonNode document;

  SchemaCheck(JsonNode document) {
    this.document = document;
  }

  /** Everything wrong with {@code value}, each naming where; empty when it fits {@code schema}. */
  List<String> problems(JsonNode value, JsonNode schema) {
    List<String> problems = new ArrayList<>();
    check(value, schema, "$", problems);
    return problems;
  }

  /** The node a local {@code $ref} such as {@code #/components/schemas/Event} points at. */
  JsonNode resolve(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local references are supported: " + ref);
    }
    JsonNode target = document.at(ref.substring(1));
    if (target.isMissingNode()) {
      throw new IllegalArgumentException("the reference leads nowhere: " + ref);
    }
    return target;
  }

  private void check(JsonNode value, JsonNode schema, String at, List<String> problems) {
    if (schema.has("$ref")) {
      check(value, resolve(schema.get("$ref").asText()), at, problems);
      return;
    }
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String keyword = it.next();
      if (!KNOWN.contains(keyword)) {
        problems.add(at + ": the schema uses '" + keyword + "', which this check does not know");
      }
    }
    if (schema.has("oneOf")) {
      int fitting = 0;
      for (JsonNode alternative : schema.get("oneOf")) {
        List<String> own = new ArrayList<>();
        check(value, alternative, at, own);
        fitting += own.isEmpty() ? 1 : 0;
      }
      if (fitting != 1) {
        problems.add(at + ": fits " + fitting + " of the oneOf alternatives, not exactly one");
      }
      return;
    }
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(at + ": null, where the schema does not allow it");
      }
      return;
    }
    String type = schema.path("type").asText("");
    if (!hasType(value, type)) {
      problems.add(at + ": expected " + type + ", got " + value);
      return;
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
    }
    switch (type) {
      case "object" -> checkObject(value, schema, at, problems);
      case "array" -> {
        for (int i = 0; i < value.size(); i++) {
          check(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
        }
      }
      case "string" -> checkString(value.textValue(), schema, at, problems);
      case "integer", "number" -> checkNumber(value, schema, at, problems);
      default -> {
        // boolean: the type is all there is to check
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> false;
    };
  }

  private void checkObject(JsonNode value, JsonNode schema, String at, List<String> problems) {
    JsonNode properties = schema.path("properties");
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        problems.add(at + ": the required property '" + required.asText() + "' is missing");
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    boolean open =
        additional == null
            ? !schema.has("properties")
            : !(additional.isBoolean() && !additional.booleanValue());
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String where = at + "." + field.getKey();
      if (properties.has(field.getKey())) {
        check(field.getValue(), properties.get(field.getKey()), where, problems);
      } else if (!open) {
        problems.add(where + ": a property the document does not describe");
      } else if (additional != null && additional.isObject()) {
        check(field.getValue(), additional, where, problems);
      }
    }
  }

  private static void checkString(String text, JsonNode schema, String at, List<String> problems) {
    if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
      problems.add(at + ": shorter than " + schema.get("minLength"));
    }
    if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
      problems.add(at + ": longer than " + schema.get("maxLength"));
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
      problems.add(at + ": '" + text + "' does not match " + schema.get("pattern").asText());
    }
    String format = schema.path("format").asText("");
    try {
      switch (format) {
        case "date-time" -> Instant.parse(text);
        case "uuid" -> UUID.fromString(text);
        case "" -> {
          // no format
        }
        default -> problems.add(at + ": the string format '" + format + "' is not checked");
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      problems.add(at + ": '" + text + "' is not a " + format);
    }
  }

  private static void checkNumber(
      JsonNode value, JsonNode schema, String at, List<String> problems) {
    double n = value.doubleValue();
    if (schema.has("minimum") && n < schema.get("minimum").asDouble()) {
      problems.add(at + ": " + value + " is below " + schema.get("minimum"));
    }
    if (schema.has("maximum")) {
      double max = schema.get("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? n >= max : n > max) {
        problems.add(at + ": " + value + " is above " + (exclusive ? "or at " : "") + max);
      }
    }
    String format = schema.path("format").asText("");
    if (format.equals("int64") && !value.canConvertToLong()) {
      problems.add(at + ": " + value + " does not fit in 64 bits");
    } else if (!format.isEmpty() && !format.equals("int64")) {
      problems.add(at + ": the number format '" + format + "' is not checked");
    }
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
