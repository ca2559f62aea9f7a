package dev.clawbots.gateway;

import com.typesafe.config.Config;
import dev.clawbots.opensim.BridgeSettings;
import dev.clawbots.opensim.OpenSimBridge;
import dev.clawbots.persistence.AgentRegistry;
import dev.clawbots.persistence.ChatHistory;
import dev.clawbots.persistence.DatabaseRevocations;
import dev.clawbots.persistence.EventHistory;
import dev.clawbots.persistence.FanOut;
import dev.clawbots.persistence.FeedSubscriptions;
import dev.clawbots.persistence.JournalConfig;
import dev.clawbots.persistence.LocalRateLimiter;
import dev.clawbots.persistence.Presence;
import dev.clawbots.persistence.PresenceFeed;
import dev.clawbots.persistence.RateLimiter;
import dev.clawbots.persistence.ReadSideDatabase;
import dev.clawbots.persistence.ReadSideProjection;
import dev.clawbots.persistence.RedisLink;
import dev.clawbots.persistence.RedisOrLocalRateLimiter;
import dev.clawbots.persistence.RedisRateLimiter;
import dev.clawbots.persistence.RedisRegionFeed;
import dev.clawbots.persistence.RedisRevocations;
import dev.clawbots.persistence.RedisSettings;
import dev.clawbots.persistence.RedisThenDatabaseRevocations;
import dev.clawbots.persistence.Revocations;
import dev.clawbots.persistence.WorldTickKey;
import dev.clawbots.region.Agent;
import dev.clawbots.region.AgentTracking;
import dev.clawbots.region.GridMirror;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionCommand;
import dev.clawbots.region.RegionEnvironment;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.RegionReply;
import dev.clawbots.region.RegionSettings;
import dev.clawbots.region.Regions;
import dev.clawbots.region.TopicRegionFeed;
import dev.clawbots.region.WorldConfig;
import dev.clawbots.world.WorldClock;
import dev.clawbots.world.WorldMap;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Everything the routes talk to, wired from configuration: the regions (sharded over the cluster),
 * the fan-out (Redis when {@code REDIS_URL} is set, the cluster's pub/sub otherwise), the read side
 * (projection, histories, registry), rate limits and revocations, and the OpenSim bridge (when
 * {@code OPENSIM_URL} is set). Each piece picks its implementation here, and nowhere else, so that
 * the modules below never know which was chosen.
 */
record Services(
    ActorSystem<?> system,
    JournalConfig journal,
    WorldMap map,
    WorldClock clock,
    Regions regions,
    ReadSideDatabase database,
    ReadSideProjection projection,
    AgentRegistry agents,
    EventHistory events,
    ChatHistory chat,
    FeedSubscriptions subscriptions,
    Optional<RedisLink> redis,
    Optional<RedisRegionFeed> redisFeed,
    RedisSettings redisSettings,
    RateLimiter rateLimiter,
    Revocations revocations,
    Optional<OpenSimBridge> opensim) {

  static Services start(ActorSystem<?> system, Config config, JournalConfig journal) {
    WorldMap map = WorldConfig.map(config);
    WorldClock clock = WorldConfig.clock(config, Clock.systemUTC());
    RedisSettings redisSettings = RedisSettings.from(config);
    Optional<RedisLink> redis =
        redisSettings.url().map(url -> RedisLink.open(url, redisSettings.link()));

    TopicRegionFeed cluster = new TopicRegionFeed(system);
    Optional<RedisRegionFeed> redisFeed =
        redis.map(
            link -> new RedisRegionFeed(link, redisSettings.keys(), redisSettings.streamLength()));
    Optional<PresenceFeed> presence =
        redis.map(
            link ->
                new PresenceFeed(
                    new FanOut(link, redisFeed.orElseThrow(), cluster),
                    new Presence(link, redisSettings.keys(), Clock.systemUTC())));
    RegionFeed feed = presence.<RegionFeed>map(p -> p).orElse(cluster);
    presence.ifPresent(
        p ->
            system
                .scheduler()
                .scheduleAtFixedRate(
                    PresenceFeed.POSITIONS_EVERY,
                    PresenceFeed.POSITIONS_EVERY,
                    p::flushPositions,
                    system.executionContext()));
    redis.ifPresent(
        link -> {
          // world:tick for readers outside the cluster; every node writes the same value.
          WorldTickKey worldTick = new WorldTickKey(link, redisSettings.keys());
          system
              .scheduler()
              .scheduleAtFixedRate(
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(1),
                  () -> {
                    if (link.isUp()) {
                      worldTick.set(clock.currentTick());
                    }
                  },
                  system.executionContext());
        });
    Optional<OpenSimBridge> opensim = openSimBridge(config, map);
    ClusterSharding sharding = ClusterSharding.get(system);
    Region.init(
        system,
        new RegionEnvironment(
            map,
            clock,
            RegionSettings.from(config),
            new AgentTracking(
                new CountedFeed(feed), id -> sharding.entityRefFor(Agent.ENTITY_KEY, id)),
            opensim.<GridMirror>map(b -> b).orElse(GridMirror.NONE),
            id -> sharding.entityRefFor(Region.ENTITY_KEY, id),
            new KamonRegionMetrics()));
    Regions regions = Regions.of(system);
    Agent.init(system, config.getDuration("clawbots.region.ask-timeout"));

    Executor jdbc =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("clawbots.jdbc-dispatcher"));
    ReadSideDatabase database =
        ReadSideDatabase.open(journal, config.getInt("clawbots.database.pool-size"), jdbc);
    ReadSideProjection projection = ReadSideProjection.start(system, database.dataSource(), jdbc);

    FeedSubscriptions subscriptions =
        new FeedSubscriptions(
            system,
            cluster,
            redis,
            redisSettings.keys(),
            id ->
                regions
                    .ask(id, RegionCommand.View::new)
                    .thenApply(
                        reply -> {
                          if (reply instanceof RegionReply.View v) {
                            return v.seq();
                          }
                          throw new IllegalStateException(id + " answered " + reply);
                        }),
            FeedSubscriptions.Settings.from(config));

    LocalRateLimiter local = new LocalRateLimiter();
    DatabaseRevocations databaseRevocations =
        new DatabaseRevocations(database.dataSource(), jdbc, Clock.systemUTC());
    RateLimiter rateLimiter =
        redis
            .<RateLimiter>map(
                link ->
                    new RedisOrLocalRateLimiter(
                        new RedisRateLimiter(link, redisSettings.keys()), local, link))
            .orElse(local);
    Revocations revocations =
        redis
            .<Revocations>map(
                link ->
                    new RedisThenDatabaseRevocations(
                        new RedisRevocations(link, redisSettings.keys(), Clock.systemUTC()),
                        databaseRevocations,
                        link,
                        Clock.systemUTC()))
            .orElse(databaseRevocations);

    return new Services(
        system,
        journal,
        map,
        clock,
        regions,
        database,
        projection,
        new AgentRegistry(database.dataSource(), jdbc),
        new EventHistory(database.dataSource(), jdbc),
        new ChatHistory(database.dataSource(), jdbc),
        subscriptions,
        redis,
        redisFeed,
        redisSettings,
        rateLimiter,
        revocations,
        opensim);
  }

  /**
   * The bridge when {@code clawbots.opensim.url} is set. With no regions mapped, each world region
   * is mirrored into the OpenSim region named like it.
   */
  private static Optional<OpenSimBridge> openSimBridge(Config config, WorldMap map) {
    BridgeSettings settings = BridgeSettings.from(config);
    if (settings.url().isEmpty()) {
      return Optional.empty();
    }
    if (settings.regions().isEmpty()) {
      Map<String, String> byName = new LinkedHashMap<>();
      map.regions().forEach(r -> byName.put(r.id(), r.name()));
      settings = settings.withRegions(byName);
    }
    for (String region : settings.regions().keySet()) {
      if (map.spec(region).isEmpty()) {
        throw new IllegalArgumentException(
            "clawbots.opensim.regions names " + region + ", which is not a region of the world");
      }
    }
    return Optional.of(OpenSimBridge.start(settings, new KamonBridgeMetrics()));
  }

  /** Where an agent with no default region of its own enters: {@code main}, or the first region. */
  String defaultRegion() {
    return map.spec("main").isPresent() ? "main" : map.regions().get(0).id();
  }

  /** What the server runs on, in one line for the log. */
  String describe() {
    return "journal on "
        + journal.describe()
        + "; "
        + redisSettings.describe()
        + "; "
        + (opensim.isPresent() ? "an OpenSim bridge" : "no OpenSim bridge")
        + "; "
        + map.regions().size()
        + " regions";
  }

  /** Closes what the actor system does not: connections to Redis and the read side's pool. */
  void close() {
    opensim.ifPresent(OpenSimBridge::close);
    redisFeed.ifPresent(RedisRegionFeed::close);
    redis.ifPresent(RedisLink::close);
    database.close();
  }
}
