package dev.clawbots.opensim;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;
import java.util.List;

/**
 * One command for the relay script, which runs it with an OSSL NPC function. On the wire each is a
 * JSON array whose first element names it ({@link #wire()}); the script answers each with a result
 * in the same place: an NPC key for {@code c}, {@code ok}, or {@code gone} for an NPC it does not
 * know.
 */
sealed interface RelayCommand {

  /** The agent this command is for; the bridge applies the script's answer to it. */
  String agentId();

  /** The command as the script reads it. */
  List<Object> wire();

  /** {@code osNpcCreate(first, last, pos, "", OS_NPC_NOT_OWNED | OS_NPC_SENSE_AS_AGENT)}. */
  record Create(String agentId, NpcName name, Vec3 at) implements RelayCommand {
    @Override
    public List<Object> wire() {
      return List.of("c", name.first(), name.last(), r(at.x()), r(at.y()), r(at.z()));
    }
  }

  /** {@code osNpcMoveToTarget(npc, to, OS_NPC_NO_FLY | running?)}. */
  record Move(String agentId, String npc, Vec3 to, boolean running) implements RelayCommand {
    @Override
    public List<Object> wire() {
      return List.of("m", npc, r(to.x()), r(to.y()), r(to.z()), running ? 1 : 0);
    }
  }

  /** {@code osNpcWhisper}, {@code osNpcSay} or {@code osNpcShout} on channel 0. */
  record Say(String agentId, String npc, String text, ChatRange volume) implements RelayCommand {
    @Override
    public List<Object> wire() {
      String how =
          switch (volume) {
            case WHISPER -> "w";
            case SHOUT -> "s";
            default -> "n";
          };
      return List.of("s", npc, how, text);
    }
  }

  /** {@code osNpcPlayAnimation(npc, animation)}. */
  record Animate(String agentId, String npc, String animation) implements RelayCommand {
    @Override
    public List<Object> wire() {
      return List.of("a", npc, animation);
    }
  }

  /** {@code osNpcRemove(npc)}. */
  record Remove(String agentId, String npc) implements RelayCommand {
    @Override
    public List<Object> wire() {
      return List.of("r", npc);
    }
  }

  /** Centimetres are plenty in a 256 m region, and keep batches short. */
  private static double r(double metres) {
    return Math.round(metres * 100.0) / 100.0;
  }
}
