package dev.clawbots.gateway;

import dev.clawbots.region.RegionReply;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A region's refusal, or a failure on the way, as the contract's error response. */
final class Replies {

  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** A reply that is not the one asked for: a refusal keeps its code; anything else is internal. */
  static HttpResponse error(RegionReply reply) {
    return apiError(reply).response();
  }

  static ApiError apiError(RegionReply reply) {
    if (reply instanceof RegionReply.Rejected r) {
      return ApiError.of(r.code(), r.message());
    }
    log.error("unexpected reply from a region: {}", reply);
    return ApiError.of("internal", "unexpected reply from the region");
  }

  /** A read-side query that failed: the database is away or slow. */
  static HttpResponse unavailable(Throwable failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ApiError.Failure f) {
      return f.error().response();
    }
    log.warn("read side query failed: {}", cause.toString());
    return ApiError.of("unavailable", "the database did not answer; try again").response();
  }
}
