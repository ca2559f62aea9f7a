package dev.clawbots.opensim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The name of an agent's NPC: the agent's name made fit for an OpenSim first name, and a last name
 * that is {@link #PREFIX} and a short digest of the agent id. The last name alone tells an NPC of
 * ours from any other in the region and names its agent, so a resynchronisation can adopt the NPCs
 * already standing there instead of creating them twice.
 */
record NpcName(String first, String last) {

  /** Every NPC the bridge creates has a last name starting with this. */
  static final String PREFIX = "Claw";

  static NpcName of(String agentId, String agentName) {
    StringBuilder first = new StringBuilder();
    String source = agentName == null ? "" : agentName;
    for (int i = 0; i < source.length() && first.length() < 24; i++) {
      char c = source.charAt(i);
      // Viewers and OpenSim's name checks are happiest with plain letters and digits.
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        first.append(c);
      }
    }
    if (first.length() == 0) {
      first.append("Agent");
    }
    return new NpcName(first.toString(), lastNameOf(agentId));
  }

  static String lastNameOf(String agentId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(agentId.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(PREFIX);
      for (int i = 0; i < 5; i++) {
        hex.append(String.format("%02x", digest[i]));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The last name of an NPC from its full name as {@code admin_get_agents} lists it. */
  static String lastNameIn(String fullName) {
    String trimmed = fullName == null ? "" : fullName.trim();
    int space = trimmed.lastIndexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(space + 1);
  }

  String full() {
    return first + " " + last;
  }
}
