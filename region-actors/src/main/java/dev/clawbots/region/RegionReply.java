package dev.clawbots.region;

import dev.clawbots.world.Perception;
import dev.clawbots.world.Rejection;
import dev.clawbots.world.TimeOfDay;
import dev.clawbots.world.Vec3;
import dev.clawbots.world.Weather;
import java.util.List;

/** What a region answers. Actions get {@link Accepted} or {@link Rejected}. */
public sealed interface RegionReply extends CborSerializable {

  /**
   * The action is journaled: it took effect at {@code acceptedTick} as event {@code seq}. {@code
   * position} is where the agent stands after it.
   */
  record Accepted(String regionId, long acceptedTick, long seq, Vec3 position)
      implements RegionReply {}

  /**
   * The action was refused and changed nothing. {@code code} is the contract's error code ({@code
   * bad_request}, {@code forbidden}, {@code not_found}, {@code conflict}, {@code unavailable}),
   * {@code reason} the engine's finer reason.
   */
  record Rejected(String code, String reason, String message) implements RegionReply {

    public static Rejected of(Rejection r) {
      return new Rejected(r.reason().errorCode(), r.reason().name(), r.message());
    }

    public static Rejected unavailable(String message) {
      return new Rejected("unavailable", "UNAVAILABLE", message);
    }
  }

  record Perceived(Perception perception) implements RegionReply {}

  /** A read-only picture of the region, for REST. */
  record View(
      String regionId,
      String name,
      int gridX,
      int gridY,
      long worldTick,
      long seq,
      TimeOfDay time,
      Weather weather,
      List<AgentView> agents,
      int handoversPending)
      implements RegionReply {}

  record AgentView(String agentId, String name, Vec3 position, Vec3 movingTo) {}
}
