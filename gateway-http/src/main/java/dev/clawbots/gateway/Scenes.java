package dev.clawbots.gateway;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;

/** This node's {@link RegionScene}s, one per region, started when first watched. */
final class Scenes {

  private final Services services;
  private final AgentProfiles profiles;
  private final ConcurrentHashMap<String, ActorRef<RegionScene.Command>> scenes =
      new ConcurrentHashMap<>();

  Scenes(Services services, AgentProfiles profiles) {
    this.services = services;
    this.profiles = profiles;
  }

  ActorRef<RegionScene.Command> of(String regionId) {
    return scenes.computeIfAbsent(
        regionId,
        id ->
            services
                .system()
                .systemActorOf(
                    RegionScene.create(id, services, profiles), "scene-" + id, Props.empty()));
  }
}
