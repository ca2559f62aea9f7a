package dev.clawbots.gateway;

import dev.clawbots.region.RegionReply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A region's refusal, or a failure on the way, as the contract's error response. */
final class Replies {

  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** 202 {@code {"accepted_tick", "seq", "region_id"}} for an accepted action, else its error. */
  static HttpResponse accepted(RegionReply reply) {
    if (!(reply instanceof RegionReply.Accepted a)) {
      return error(reply);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted_tick", a.acceptedTick());
    body.put("seq", a.seq());
    body.put("region_id", a.regionId());
    return JsonResponses.of(StatusCodes.ACCEPTED, body);
  }

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
