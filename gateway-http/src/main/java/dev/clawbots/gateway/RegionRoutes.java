package dev.clawbots.gateway;

import dev.clawbots.persistence.EventHistory;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionReply;
import dev.clawbots.world.RegionSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The public, read-only region endpoints: the list of regions, one region now, its event history
 * and its public chat. Live state comes from the regions themselves; history from the read side.
 */
final class RegionRoutes extends AllDirectives {

  static final int DEFAULT_EVENTS_LIMIT = 100;
  static final int DEFAULT_CHAT_LIMIT = 50;

  private final Services services;
  private final ApiMetrics metrics;

  RegionRoutes(Services services, ApiMetrics metrics) {
    this.services = services;
    this.metrics = metrics;
  }

  Route route() {
    return pathPrefix(
        "regions",
        () ->
            concat(
                pathEnd(
                    () ->
                        get(
                            () ->
                                metrics.measured(
                                    "GET /v1/regions", () -> completeWithFuture(list())))),
                pathPrefix(
                    PathMatchers.segment(),
                    id ->
                        services.map().spec(id).isEmpty()
                            ? complete(unknownRegion(id))
                            : concat(
                                pathEnd(
                                    () ->
                                        get(
                                            () ->
                                                metrics.measured(
                                                    "GET /v1/regions/{region_id}",
                                                    () -> completeWithFuture(one(id))))),
                                path(
                                    "events",
                                    () ->
                                        get(
                                            () ->
                                                parameterOptional(
                                                    "after_seq",
                                                    after ->
                                                        parameterOptional(
                                                            "limit",
                                                            limit ->
                                                                metrics.measured(
                                                                    "GET /v1/regions/{region_id}/events",
                                                                    () ->
                                                                        completeWithFuture(
                                                                            events(
                                                                                id, after,
                                                                                limit))))))),
                                path(
                                    "chat",
                                    () ->
                                        get(
                                            () ->
                                                parameterOptional(
                                                    "before",
                                                    before ->
                                                        parameterOptional(
                                                            "limit",
                                                            limit ->
                                                                metrics.measured(
                                                                    "GET /v1/regions/{region_id}/chat",
                                                                    () ->
                                                                        completeWithFuture(
                                                                            chat(
                                                                                id, before,
                                                                                limit)))))))))));
  }

  private CompletionStage<HttpResponse> list() {
    List<CompletableFuture<RegionReply>> views = new ArrayList<>();
    for (RegionSpec spec : services.map().regions()) {
      views.add(services.regions().ask(spec.id(), RegionCommand.View::new).toCompletableFuture());
    }
    return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<Map<String, Object>> regions = new ArrayList<>();
              for (CompletableFuture<RegionReply> view : views) {
                RegionReply reply = view.join();
                if (!(reply instanceof RegionReply.View v)) {
                  return Replies.error(reply);
                }
                regions.add(WireShapes.regionSummary(v));
              }
              return JsonResponses.ok(regions);
            });
  }

  private CompletionStage<HttpResponse> one(String id) {
    return services
        .regions()
        .ask(id, RegionCommand.View::new)
        .thenApply(
            reply ->
                reply instanceof RegionReply.View v
                    ? JsonResponses.ok(WireShapes.region(v))
                    : Replies.error(reply));
  }

  private CompletionStage<HttpResponse> events(
      String id, Optional<String> afterSeq, Optional<String> limitParam) {
    long after;
    int limit;
    try {
      after = QueryParameters.nonNegativeLong("after_seq", afterSeq, 0);
      limit = QueryParameters.limit(limitParam, DEFAULT_EVENTS_LIMIT, EventHistory.MAX_LIMIT);
    } catch (ApiError.Failure bad) {
      return CompletableFuture.completedFuture(bad.error().response());
    }
    return services
        .events()
        .eventsAfter(id, after, limit)
        .thenApply(
            events -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("events", events);
              body.put(
                  "next_after_seq", events.isEmpty() ? after : events.get(events.size() - 1).seq());
              return JsonResponses.ok(body);
            })
        .exceptionally(Replies::unavailable);
  }

  private CompletionStage<HttpResponse> chat(
      String id, Optional<String> beforeParam, Optional<String> limitParam) {
    Instant before;
    int limit;
    try {
      before = beforeParam.map(RegionRoutes::instant).orElse(null);
      limit = QueryParameters.limit(limitParam, DEFAULT_CHAT_LIMIT, EventHistory.MAX_LIMIT);
    } catch (ApiError.Failure bad) {
      return CompletableFuture.completedFuture(bad.error().response());
    }
    return services
        .chat()
        .publicChat(id, before, limit)
        .thenApply(
            messages ->
                JsonResponses.ok(
                    Map.of("messages", messages.stream().map(WireShapes::chatMessage).toList())))
        .exceptionally(Replies::unavailable);
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiError.Failure(
          ApiError.badRequest(
              "before must be an ISO-8601 UTC time such as 2026-11-22T12:00:00Z, not " + value));
    }
  }

  private static HttpResponse unknownRegion(String id) {
    return ApiError.notFound("no region " + id).response();
  }
}
