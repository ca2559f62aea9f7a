package dev.clawbots.region;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Crossing;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a region is asked to do. Every command that changes the world is answered only after its
 * event is journaled, with {@link RegionReply.Accepted} or {@link RegionReply.Rejected}; a bad
 * command never stops the region.
 */
public sealed interface RegionCommand extends CborSerializable {

  /** Enter the region, at {@code position} or, when null, near its spawn point. */
  record Join(
      String agentId,
      String name,
      Vec3 position,
      Set<Permission> permissions,
      ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  record Leave(String agentId, ActorRef<RegionReply> replyTo) implements RegionCommand {}

  /** Walk towards {@code to}; {@code speed} null means the default 3.2 m/s. */
  record Move(String agentId, Vec3 to, Double speed, ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  /** {@code volume} null means normal; {@code to} set makes the message private. */
  record Speak(
      String agentId, String text, ChatRange volume, String to, ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  record Emote(String agentId, String emote, ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  /** Answered with {@link RegionReply.Perceived}; empties what the agent heard. */
  record Perceive(String agentId, ActorRef<RegionReply> replyTo) implements RegionCommand {}

  /** A spectator's prompt to {@code agentId}; {@code not_found} when it is not in the region. */
  record Prompt(
      String agentId,
      String spectatorId,
      String spectatorName,
      String text,
      ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  /**
   * A human avatar in the mirrored OpenSimulator region spoke on the public channel, at {@code
   * position} in this region's metres: the agents within {@code volume}'s range of it hear it.
   * {@code avatarId} is the avatar's key in the grid; {@code volume} null means normal.
   */
  record HearAvatar(
      String avatarId,
      String avatarName,
      String text,
      ChatRange volume,
      Vec3 position,
      ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  /** Answered with {@link RegionReply.View}. Changes nothing. */
  record View(ActorRef<RegionReply> replyTo) implements RegionCommand {}

  /**
   * A neighbour hands over an agent that walked across the shared edge. Idempotent by {@code
   * handoverId}: a repeated hand-over is acknowledged again and admits the agent once.
   */
  record AcceptCrossing(
      String handoverId, String fromRegion, Crossing crossing, ActorRef<RegionReply> replyTo)
      implements RegionCommand {}

  /** Sharding's stop message: finish what is in flight and stop. */
  record Passivate() implements RegionCommand {}

  /** The region's own timers and answers to its own asks; never sent from outside. */
  non-sealed interface Internal extends RegionCommand {}
}
