package dev.clawbots.world;

/**
 * A message or emote that reached an agent. For an emote {@code volume} and {@code to} are null and
 * {@code text} is the emote.
 */
public record Heard(
    long tick, Kind kind, String sourceAgent, String text, ChatRange volume, String to) {

  public enum Kind {
    CHAT,
    EMOTE
  }
}
