package dev.clawbots.world;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

/**
 * An agent inside a {@link RegionSimulation}. Mutable for speed, and never handed out: callers see
 * {@link AgentState} copies.
 */
final class Occupant {

  /** How many unread messages an agent keeps before the oldest are dropped. */
  static final int INBOX_CAPACITY = 100;

  final String agentId;
  final String name;
  final Set<Permission> permissions;
  Vec3 position;
  Walk walk;
  long lastActiveTick;
  private ArrayDeque<Heard> inbox;

  Occupant(String agentId, String name, Set<Permission> permissions, Vec3 position, long tick) {
    this.agentId = agentId;
    this.name = name;
    this.permissions = Set.copyOf(permissions);
    this.position = position;
    this.lastActiveTick = tick;
  }

  void hear(Heard heard) {
    if (inbox == null) {
      inbox = new ArrayDeque<>();
    }
    if (inbox.size() == INBOX_CAPACITY) {
      inbox.removeFirst();
    }
    inbox.addLast(heard);
  }

  List<Heard> drainInbox() {
    if (inbox == null || inbox.isEmpty()) {
      return List.of();
    }
    List<Heard> heard = List.copyOf(inbox);
    inbox.clear();
    return heard;
  }

  AgentState state() {
    return new AgentState(agentId, name, position, walk, permissions, lastActiveTick);
  }
}
