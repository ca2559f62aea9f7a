package dev.clawbots.gateway;

import dev.clawbots.opensim.OpenSimBridge;
import dev.clawbots.opensim.RelayVerdict;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The relay script's two requests ({@code docs/opensim.md}), each with the shared secret: {@code
 * POST /v1/opensim/relay} registers the script's HTTP-in URL for its region, and {@code POST
 * /v1/opensim/chat} brings a human avatar's public chat into the world as a {@code chat} event.
 * Without a bridge both are 503.
 */
final class OpenSimRoutes extends AllDirectives {

  static final int MAX_REGION_BYTES = 128;
  static final int MAX_URL_BYTES = 512;
  static final int MAX_SECRET_BYTES = 256;
  static final int MAX_NAME_BYTES = 128;
  static final int MAX_TEXT_BYTES = 1024;

  private final Services services;
  private final ApiMetrics metrics;

  OpenSimRoutes(Services services, ApiMetrics metrics) {
    this.services = services;
    this.metrics = metrics;
  }

  Route route() {
    return pathPrefix(
        "opensim",
        () ->
            concat(
                path(
                    "relay",
                    () ->
                        post(
                            () ->
                                metrics.measured(
                                    "POST /v1/opensim/relay",
                                    () ->
                                        entity(
                                            Unmarshaller.entityToString(),
                                            body -> complete(register(body)))))),
                path(
                    "chat",
                    () ->
                        post(
                            () ->
                                metrics.measured(
                                    "POST /v1/opensim/chat",
                                    () ->
                                        entity(
                                            Unmarshaller.entityToString(),
                                            body -> completeWithFuture(heard(body))))))));
  }

  private HttpResponse register(String body) {
    try {
      RequestJson json = RequestJson.parse(body);
      String region = json.text("region", MAX_REGION_BYTES);
      String url = json.text("url", MAX_URL_BYTES);
      String secret = json.text("secret", MAX_SECRET_BYTES);
      RelayVerdict verdict = bridge().register(region, url, secret);
      if (verdict instanceof RelayVerdict.Refused r) {
        return ApiError.of(r.code(), r.message()).response();
      }
      Map<String, Object> registered = new LinkedHashMap<>();
      registered.put("region_id", ((RelayVerdict.Admitted) verdict).regionId());
      registered.put("opensim_region", region);
      return JsonResponses.ok(registered);
    } catch (ApiError.Failure f) {
      return f.error().response();
    }
  }

  private CompletionStage<HttpResponse> heard(String body) {
    String regionId;
    String name;
    String avatarId;
    String text;
    ChatRange volume;
    Vec3 position;
    try {
      RequestJson json = RequestJson.parse(body);
      String region = json.text("region", MAX_REGION_BYTES);
      String secret = json.text("secret", MAX_SECRET_BYTES);
      name = json.text("name", MAX_NAME_BYTES);
      avatarId = json.optionalText("avatar_id", MAX_NAME_BYTES).orElse(null);
      text = json.text("text", MAX_TEXT_BYTES);
      volume = json.volume("volume");
      position = json.position("position");
      if (position.x() < 0 || position.x() >= 256 || position.y() < 0 || position.y() >= 256) {
        throw RequestJson.bad("position must be in the region: 0 <= x, y < 256");
      }
      RelayVerdict verdict = bridge().admit(region, secret);
      if (verdict instanceof RelayVerdict.Refused r) {
        return CompletableFuture.completedFuture(ApiError.of(r.code(), r.message()).response());
      }
      regionId = ((RelayVerdict.Admitted) verdict).regionId();
    } catch (ApiError.Failure f) {
      return CompletableFuture.completedFuture(f.error().response());
    }
    return services
        .regions()
        .ask(
            regionId,
            replyTo ->
                new RegionCommand.HearAvatar(avatarId, name, text, volume, position, replyTo))
        .thenApply(Replies::accepted);
  }

  private OpenSimBridge bridge() {
    return services
        .opensim()
        .orElseThrow(
            () ->
                new ApiError.Failure(
                    ApiError.of(
                        "unavailable",
                        "this server runs no OpenSim bridge (OPENSIM_URL is not set)")));
  }
}
