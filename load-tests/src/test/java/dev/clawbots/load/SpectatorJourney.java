package dev.clawbots.load;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One spectator over the public API: open the spectator WebSocket (watching needs no token), follow
 * a random agent of the run or watch a region, await the full frame, then read frames until its
 * time is up. Each frame's arrival is recorded, so the run reports the frame rate spectators
 * received ({@code frames received} over spectator-seconds) and the gaps between frames.
 */
final class SpectatorJourney {

  private static final Duration FIRST_FRAME_WITHIN = Duration.ofSeconds(10);

  private final Roster roster;
  private final RunFigures figures;
  private final String mode;

  SpectatorJourney(Roster roster, RunFigures figures, String mode) {
    this.roster = roster;
    this.figures = figures;
    this.mode = mode;
  }

  ChainBuilder life(Function<Session, Long> until) {
    return exec(session -> session.set("until", until.apply(session)).set("lastFrameAt", 0L))
        .exec(ws("spectate").connect("/v1/ws/spectate"))
        .exec(session -> session.set("camera", camera()))
        .exec(
            ws("send camera")
                .sendText("#{camera}")
                .await(FIRST_FRAME_WITHIN)
                .on(
                    ws.checkTextMessage("first frame")
                        .matching(jsonPath("$.type").in("frame", "error"))
                        .check(jsonPath("$.type").is("frame"))))
        .exec(session -> session.set("watchingSince", System.currentTimeMillis()))
        .exec(
            asLongAs(session -> System.currentTimeMillis() < session.getLong("until"))
                .on(exec(ws.processUnmatchedMessages(this::frames)).pause(Duration.ofSeconds(1))))
        .exec(ws.processUnmatchedMessages(this::frames))
        .exec(
            session -> {
              figures.record(
                  "spectator watching ms",
                  System.currentTimeMillis() - session.getLong("watchingSince"));
              return session;
            })
        .exec(ws("close spectator").close());
  }

  private String camera() {
    boolean follow =
        mode.equals("follow")
            || (mode.equals("mixed") && ThreadLocalRandom.current().nextBoolean());
    String agent = follow ? roster.anyAgent() : null;
    return agent != null
        ? "{\"type\":\"follow\",\"id\":\"look\",\"agent_id\":\"" + agent + "\"}"
        : "{\"type\":\"watch\",\"id\":\"look\",\"region_id\":\"" + roster.randomRegion() + "\"}";
  }

  private Session frames(List<WsInboundMessage> messages, Session session) {
    long lastFrameAt = session.getLong("lastFrameAt");
    for (WsInboundMessage message : messages) {
      if (message instanceof WsInboundMessage.Text text
          && text.message().startsWith("{\"type\":\"frame\"")) {
        figures.count("frames received");
        if (lastFrameAt > 0) {
          figures.record("spectator frame gap ms", text.timestamp() - lastFrameAt);
        }
        lastFrameAt = text.timestamp();
      }
    }
    return session.set("lastFrameAt", lastFrameAt);
  }
}
