package dev.clawbots.world;

import java.util.List;

/** Something that happened in a region, at a tick: what a decision or a tick step produced. */
public sealed interface Happening {

  long tick();

  String agentId();

  record Joined(long tick, String agentId, String name, Vec3 position) implements Happening {}

  record Left(long tick, String agentId, Vec3 position) implements Happening {}

  /**
   * A walk began. {@code walk.target()} is the resolved target: an edge stop is already applied.
   */
  record WalkStarted(long tick, String agentId, Walk walk) implements Happening {}

  record Arrived(long tick, String agentId, Vec3 position) implements Happening {}

  /** {@code hearers} are the agents of this region who heard it, the speaker included. */
  record Spoke(
      long tick, String agentId, String text, ChatRange volume, String to, List<String> hearers)
      implements Happening {}

  /** {@code witnesses} are the agents of this region who saw it, the actor included. */
  record Emoted(long tick, String agentId, String emote, List<String> witnesses)
      implements Happening {}

  /** The agent walked out of this region; the neighbour across the edge must take it in. */
  record CrossedOut(long tick, String agentId, Crossing crossing) implements Happening {}

  record CrossedIn(long tick, String agentId, Crossing crossing, Walk walk) implements Happening {}
}
