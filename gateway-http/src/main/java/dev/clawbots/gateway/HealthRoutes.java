package dev.clawbots.gateway;

import dev.clawbots.opensim.BridgeHealth;
import dev.clawbots.persistence.RedisLink;
import dev.clawbots.region.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /health/live} (the process answers), {@code /health/ready} (whether this node should get
 * traffic: 503 only when the journal's database is away, {@code degraded} while Redis or the
 * OpenSim grid is, never {@code unready} for the grid, which the world does without) and {@code
 * /health/full} (figures for an operator).
 */
final class HealthRoutes extends AllDirectives {

  private final Services services;
  private final SocketCounter sockets;

  HealthRoutes(Services services, SocketCounter sockets) {
    this.services = services;
    this.sockets = sockets;
  }

  Route route() {
    return pathPrefix(
        "health",
        () ->
            concat(
                path(
                    "live", () -> get(() -> complete(JsonResponses.ok(Map.of("status", "alive"))))),
                path("ready", () -> get(() -> completeWithFuture(ready()))),
                path("full", () -> get(() -> completeWithFuture(full())))));
  }

  /** {@code redis}: {@code disabled} with no Redis configured, else {@code ok} or {@code down}. */
  String redis() {
    return services.redis().map(link -> link.isUp() ? "ok" : "down").orElse("disabled");
  }

  /** {@code opensim}: {@code disabled} with no bridge, else {@code ok} or {@code down}. */
  String opensim() {
    return services.opensim().map(b -> b.health().status()).orElse("disabled");
  }

  private CompletionStage<HttpResponse> ready() {
    return services
        .database()
        .answers()
        .thenApply(
            db -> {
              String redis = redis();
              String opensim = opensim();
              String status =
                  !db
                      ? "unready"
                      : redis.equals("down") || opensim.equals("down") ? "degraded" : "ready";
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", status);
              body.put("db", db ? "ok" : "down");
              body.put("redis", redis);
              body.put("opensim", opensim);
              return JsonResponses.of(db ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
            });
  }

  private CompletionStage<HttpResponse> full() {
    CompletionStage<ShardRegion.CurrentShardRegionState> hosted =
        AskPattern.ask(
            ClusterSharding.get(services.system()).shardState(),
            replyTo -> new GetShardRegionState(Region.ENTITY_KEY, replyTo),
            Duration.ofSeconds(3),
            services.system().scheduler());
    return hosted.thenCombine(
        services.database().answers(),
        (state, db) -> {
          TreeSet<String> here = new TreeSet<>();
          state.getShards().forEach(s -> here.addAll(s.getEntityIds()));
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("node", Cluster.get(services.system()).selfMember().address().toString());
          body.put("cluster_members", Cluster.get(services.system()).state().members().size());
          body.put("regions_configured", services.map().regions().size());
          body.put("regions_hosted", here.size());
          // Beyond the contract: which regions run here, for operators and the cluster tests.
          body.put("hosted_regions", here);
          body.put("db", db ? "ok" : "down");
          body.put("redis", redis());
          body.put("redis_at", services.redis().map(RedisLink::describe).orElse(null));
          body.put("journal_lag_seconds", services.projection().lagSeconds());
          body.put("events_projected", services.projection().projected());
          body.put("subscribed_regions", services.subscriptions().regions().size());
          body.put("websocket_connections", sockets.count());
          body.put("opensim", opensim());
          services.opensim().ifPresent(b -> body.put("opensim_bridge", bridge(b.health())));
          return JsonResponses.ok(body);
        });
  }

  /** The bridge's state for an operator: the breaker, what is wrong, and each region's relay. */
  private static Map<String, Object> bridge(BridgeHealth h) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("breaker", h.breaker());
    out.put("problem", h.problem());
    List<Map<String, Object>> regions = new ArrayList<>();
    for (BridgeHealth.RegionStatus r : h.regions()) {
      Map<String, Object> region = new LinkedHashMap<>();
      region.put("region_id", r.regionId());
      region.put("opensim_region", r.gridRegion());
      region.put("relay_registered", r.relayRegistered());
      region.put("npcs", r.npcs());
      region.put("unmirrored_agents", r.unmirrored());
      region.put("queued", r.queued());
      region.put("problem", r.problem());
      regions.add(region);
    }
    out.put("regions", regions);
    return out;
  }
}
