package dev.clawbots.gateway;

import java.util.Arrays;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;

/**
 * One operation the server serves: a method and a path template written as in {@code openapi.yaml},
 * such as {@code GET /v1/regions/{region_id}/events}. {@link ApiRoutes#OPERATIONS} lists them all,
 * so that the server refuses what is not listed and a test can hold the list and the OpenAPI
 * document to each other.
 */
record Operation(HttpMethod method, String template) {

  Operation {
    if (!template.startsWith("/") || template.endsWith("/")) {
      throw new IllegalArgumentException("a path template starts with / and does not end with it");
    }
  }

  static Operation get(String template) {
    return new Operation(HttpMethods.GET, template);
  }

  static Operation patch(String template) {
    return new Operation(HttpMethods.PATCH, template);
  }

  static Operation post(String template) {
    return new Operation(HttpMethods.POST, template);
  }

  /** The template's segments: {@code /v1/regions/{region_id}} is {@code v1, regions, {..}}. */
  List<String> segments() {
    return Arrays.asList(template.substring(1).split("/"));
  }

  /** Whether a request path, as its segments, fits the template; {@code {name}} fits any one. */
  boolean pathMatches(List<String> path) {
    List<String> own = segments();
    if (own.size() != path.size()) {
      return false;
    }
    for (int i = 0; i < own.size(); i++) {
      String segment = own.get(i);
      boolean parameter = segment.startsWith("{") && segment.endsWith("}");
      if (!(parameter ? !path.get(i).isEmpty() : segment.equals(path.get(i)))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return method.value() + " " + template;
  }
}
