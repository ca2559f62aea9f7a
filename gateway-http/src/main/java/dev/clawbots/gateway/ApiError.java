package dev.clawbots.gateway;

import dev.clawbots.region.WireJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The contract's error: {@code {"error": {"code", "message", "retry_after_ms"?}}}, the same body
 * over REST and the WebSockets. Each code has one HTTP status.
 */
public record ApiError(String code, String message, Long retryAfterMs) {

  private static final Map<String, StatusCode> STATUS =
      Map.of(
          "bad_request", StatusCodes.BAD_REQUEST,
          "unauthorized", StatusCodes.UNAUTHORIZED,
          "forbidden", StatusCodes.FORBIDDEN,
          "not_found", StatusCodes.NOT_FOUND,
          "conflict", StatusCodes.CONFLICT,
          "rate_limited", StatusCodes.TOO_MANY_REQUESTS,
          "payload_too_large", StatusCodes.PAYLOAD_TOO_LARGE,
          "unavailable", StatusCodes.SERVICE_UNAVAILABLE,
          "internal", StatusCodes.INTERNAL_SERVER_ERROR);

  public ApiError {
    if (!STATUS.containsKey(code)) {
      throw new IllegalArgumentException("not an error code of the contract: " + code);
    }
  }

  public static ApiError of(String code, String message) {
    return new ApiError(code, message, null);
  }

  public static ApiError badRequest(String message) {
    return of("bad_request", message);
  }

  public static ApiError notFound(String message) {
    return of("not_found", message);
  }

  /** The contract's code for an HTTP status, for responses our code did not make itself. */
  public static String codeFor(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }

  public StatusCode status() {
    return STATUS.get(code);
  }

  /** The {@code error} object itself, for embedding in a WebSocket message. */
  public Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    if (retryAfterMs != null) {
      error.put("retry_after_ms", retryAfterMs);
    }
    return error;
  }

  public String json() {
    return WireJson.write(Map.of("error", body()));
  }

  public HttpResponse response() {
    HttpResponse response =
        HttpResponse.create()
            .withStatus(status())
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json()));
    if (retryAfterMs != null) {
      long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
      response =
          response.addHeader(
              org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
                  "Retry-After", Long.toString(seconds)));
    }
    return response;
  }

  /** An error as an exception, for code that finds it deep in a chain of stages. */
  public static final class Failure extends RuntimeException {
    private final ApiError error;

    public Failure(ApiError error) {
      super(error.code() + ": " + error.message(), null, false, false);
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }
}
