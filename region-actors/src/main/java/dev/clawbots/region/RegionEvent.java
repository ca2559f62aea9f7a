package dev.clawbots.region;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Crossing;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a region journals: the decisions agents made and what followed from them, each at the {@code
 * tick} it took effect. Positions between events are not journaled: they follow from the events and
 * the tick count. Events are never changed in place; a changed event is a new type.
 *
 * <p>{@code seq} numbers the events clients see, one by one per region. Bookkeeping events ({@link
 * HandoverConfirmed}) carry the seq of the last visible event and are never published.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RegionEvent.AgentJoined.class, name = "agent_joined"),
  @JsonSubTypes.Type(value = RegionEvent.AgentLeft.class, name = "agent_left"),
  @JsonSubTypes.Type(value = RegionEvent.MoveStarted.class, name = "move_started"),
  @JsonSubTypes.Type(value = RegionEvent.Arrived.class, name = "arrived"),
  @JsonSubTypes.Type(value = RegionEvent.Spoke.class, name = "chat"),
  @JsonSubTypes.Type(value = RegionEvent.Emoted.class, name = "emote"),
  @JsonSubTypes.Type(value = RegionEvent.CrossedOut.class, name = "crossed_out"),
  @JsonSubTypes.Type(value = RegionEvent.CrossedIn.class, name = "crossed_in"),
  @JsonSubTypes.Type(value = RegionEvent.Prompted.class, name = "prompt"),
  @JsonSubTypes.Type(value = RegionEvent.AvatarSpoke.class, name = "avatar_chat"),
  @JsonSubTypes.Type(value = RegionEvent.HandoverConfirmed.class, name = "handover_confirmed")
})
public sealed interface RegionEvent extends CborSerializable {

  String regionId();

  long seq();

  long tick();

  Instant at();

  /** The agent the event is about, or null. */
  String agentId();

  /** Whether clients see this event (and it has a seq of its own). */
  default boolean visible() {
    return true;
  }

  record AgentJoined(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String name,
      Vec3 position,
      Set<Permission> permissions)
      implements RegionEvent {}

  /** {@code reason} is {@code left} or {@code idle}. */
  record AgentLeft(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String reason,
      Vec3 position)
      implements RegionEvent {}

  record MoveStarted(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      Vec3 from,
      Vec3 to,
      double speed)
      implements RegionEvent {}

  record Arrived(String regionId, long seq, long tick, Instant at, String agentId, Vec3 position)
      implements RegionEvent {}

  /** {@code hearers} are the agents of this region who heard it, the speaker included. */
  record Spoke(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String text,
      ChatRange volume,
      String to,
      List<String> hearers)
      implements RegionEvent {}

  record Emoted(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String emote,
      List<String> witnesses)
      implements RegionEvent {}

  /** The agent walked out towards {@code toRegion}; the hand-over is pending until confirmed. */
  record CrossedOut(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String toRegion,
      String handoverId,
      Crossing crossing)
      implements RegionEvent {}

  record CrossedIn(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String fromRegion,
      String handoverId,
      Crossing crossing)
      implements RegionEvent {}

  /**
   * A spectator prompted {@code agentId}, who was in the region. It changes nothing in the world:
   * the agent may ignore it, and it does not count as the agent's activity.
   */
  record Prompted(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String agentId,
      String spectatorId,
      String spectatorName,
      String text)
      implements RegionEvent {}

  /**
   * A human avatar in the mirrored OpenSimulator region spoke; no agent did, so {@link #agentId()}
   * is null. {@code hearers} are the agents of this region within {@code volume}'s range of {@code
   * position}, decided at {@code tick}. Clients see it as a {@code chat} event whose source is
   * {@code opensim}.
   */
  record AvatarSpoke(
      String regionId,
      long seq,
      long tick,
      Instant at,
      String avatarId,
      String avatarName,
      String text,
      ChatRange volume,
      Vec3 position,
      List<String> hearers)
      implements RegionEvent {
    @Override
    public String agentId() {
      return null;
    }
  }

  /** The neighbour acknowledged the hand-over: stop retrying it. */
  record HandoverConfirmed(String regionId, long seq, long tick, Instant at, String handoverId)
      implements RegionEvent {
    @Override
    public String agentId() {
      return null;
    }

    @Override
    public boolean visible() {
      return false;
    }
  }
}
