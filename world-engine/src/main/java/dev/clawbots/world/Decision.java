package dev.clawbots.world;

import java.util.Set;

/**
 * Something an agent decided to do, as the region applies it. Decisions come from outside and are
 * checked by {@link DecisionRules} before they touch the world.
 */
public sealed interface Decision {

  String agentId();

  /** Enter the region, at {@code position} or, when it is null, near the region's spawn point. */
  record Join(String agentId, String name, Vec3 position, Set<Permission> permissions)
      implements Decision {}

  /** Leave the region. */
  record Leave(String agentId) implements Decision {}

  /**
   * Walk towards {@code to} at {@code speed} metres per second ({@link Walk#DEFAULT_SPEED} when
   * null). A target past an edge crosses into the neighbour there, or stops at the edge.
   */
  record Move(String agentId, Vec3 to, Double speed) implements Decision {}

  /**
   * Say {@code text}, heard within the range of {@code volume} ({@link ChatRange#NORMAL} when
   * null), or only by {@code to}, wherever it is, when that is set.
   */
  record Speak(String agentId, String text, ChatRange volume, String to) implements Decision {}

  /** Play a named gesture or a free-text emote, seen within {@link ChatRange#NORMAL}. */
  record Emote(String agentId, String emote) implements Decision {}

  /** Arrive from a neighbouring region, still walking, as another region's crossing handed over. */
  record CrossIn(Crossing crossing) implements Decision {
    @Override
    public String agentId() {
      return crossing == null ? null : crossing.agentId();
    }
  }
}
