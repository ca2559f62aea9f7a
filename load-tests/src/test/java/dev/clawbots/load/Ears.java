package dev.clawbots.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one virtual agent hears. Gatling hands a message that no check awaits either to {@code
 * processUnmatchedMessages} (when the socket is idle) or only to the matching conditions of the
 * check in progress (otherwise it drops it), so both paths give every message here, once. Mutable,
 * and owned by one virtual user: Gatling runs a user's actions one at a time.
 */
final class Ears {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SENT_AT = Pattern.compile("t=(\\d+)");

  private final RunFigures figures;
  private String self = "";
  private long spoken;
  private long ownHeard;

  Ears(RunFigures figures) {
    this.figures = figures;
  }

  void belongTo(String agentId) {
    self = agentId;
  }

  void spoke() {
    spoken++;
  }

  /** Chats this agent spoke that have not come back to it as events yet. */
  long ownChatsMissing() {
    return spoken - ownHeard;
  }

  /** One message from the server, received at {@code at} (epoch ms). */
  void hear(String body, long at) {
    figures.count("agent messages received");
    if (!body.startsWith("{\"type\":\"event\"") || !body.contains("\"type\":\"chat\"")) {
      return;
    }
    try {
      JsonNode event = JSON.readTree(body).path("event");
      Matcher sentAt = SENT_AT.matcher(event.path("content").path("text").asText());
      if (self.equals(event.path("source_agent").asText())) {
        ownHeard++;
      } else if (sentAt.find()) {
        figures.count("chats heard by a neighbour");
        figures.record("speak-to-heard ms", at - Long.parseLong(sentAt.group(1)));
      }
    } catch (Exception e) {
      figures.count("unreadable messages");
    }
  }
}
