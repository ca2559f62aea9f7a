package dev.clawbots.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the virtual users of one run know about the world: the regions they spread over, read from
 * the server's own {@code GET /v1/regions}, and the agents registered so far in each, so that a
 * speaker can address a private message and a spectator can follow someone.
 */
final class Roster {

  private final List<String> regions;
  private final Map<String, List<String>> agentsByRegion = new ConcurrentHashMap<>();
  private final List<String> everyAgent = new CopyOnWriteArrayList<>();

  private Roster(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  /** Adds the agents the server has online in this run's regions, for spectators to follow. */
  void addAgentsOnline(String target) {
    for (String region : regions) {
      for (JsonNode agent : get(target + "/v1/regions/" + region).path("agents")) {
        registered(region, agent.get("agent_id").asText());
      }
    }
  }

  /** The first {@code wanted} regions the server lists; fails when it lists fewer. */
  static Roster fromServer(String target, int wanted) {
    List<String> ids = new ArrayList<>();
    for (JsonNode region : get(target + "/v1/regions")) {
      ids.add(region.get("region_id").asText());
    }
    if (ids.size() < wanted) {
      throw new IllegalStateException(
          "the server has "
              + ids.size()
              + " regions, the run asks for "
              + wanted
              + " (run.sh configures a world with as many as -Dregions asks)");
    }
    return new Roster(ids.subList(0, wanted));
  }

  private static JsonNode get(String url) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + url + " answered " + response.statusCode() + ": " + response.body());
      }
      return new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("no server at " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The region of the {@code n}th agent: agents are dealt over the regions in turn. */
  String regionFor(long n) {
    return regions.get((int) (n % regions.size()));
  }

  String randomRegion() {
    return regions.get(ThreadLocalRandom.current().nextInt(regions.size()));
  }

  void registered(String region, String agentId) {
    agentsByRegion.computeIfAbsent(region, r -> new CopyOnWriteArrayList<>()).add(agentId);
    everyAgent.add(agentId);
  }

  /** Another agent registered in {@code region}, or null when there is none yet. */
  String someoneElseIn(String region, String self) {
    List<String> here = agentsByRegion.getOrDefault(region, List.of());
    for (int attempt = 0; attempt < 4 && !here.isEmpty(); attempt++) {
      String other = here.get(ThreadLocalRandom.current().nextInt(here.size()));
      if (!other.equals(self)) {
        return other;
      }
    }
    return null;
  }

  /** Any agent registered in this run, or null when there is none yet. */
  String anyAgent() {
    return everyAgent.isEmpty()
        ? null
        : everyAgent.get(ThreadLocalRandom.current().nextInt(everyAgent.size()));
  }
}
