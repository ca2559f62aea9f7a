package dev.clawbots.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One agent's life over the public API: register over REST, open its WebSocket, join its region
 * near the middle (so that its neighbours are within earshot), then until its time is up walk to a
 * nearby point about once a second, speak every 10 to 20 s (mostly normal, some whispers, shouts
 * and private messages), emote now and then and perceive every few seconds, then leave.
 *
 * <p>Every action's ack is a Gatling request (its name is the action), so Gatling's report holds
 * action-to-ack latency. What spans two users, a chat from its speaker's send to a neighbour's
 * receipt, is timestamped by the speaker in the text ({@code t=<epoch ms>}) and recorded in {@link
 * RunFigures} when a neighbour reads it.
 *
 * <p>At about 46 moves, 4 chats and 1 emote a minute an agent stays under the contract's 60 actions
 * a minute with room for chance (at a move every 1.0 to 1.4 s, 8 of about 12,000 actions of a
 * 100-agent run were refused by the limit), and with perceptions under its 100 WebSocket messages a
 * minute: a rate-limit error in a run is a real error.
 */
final class AgentJourney {

  private static final List<String> EMOTES =
      List.of("wave", "nod", "bow", "laugh", "shrug", "point", "dance");
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  /** Agents stand and walk within this many metres of their region's middle. */
  private static final double SPREAD = 7.0;

  private final Roster roster;
  private final RunFigures figures;
  private final LongSupplier runStart;
  private final AtomicLong agentsStarted = new AtomicLong();
  private final String runTag = Long.toString(System.currentTimeMillis() % 100_000, 36);

  AgentJourney(Roster roster, RunFigures figures, LongSupplier runStart) {
    this.runStart = runStart;
    this.roster = roster;
    this.figures = figures;
  }

  /** A whole life that ends when {@code until} (epoch ms) says so. */
  ChainBuilder life(Function<Session, Long> until) {
    return exec(session -> start(session, until.apply(session)))
        .exec(register())
        // A user that could not register or join stops there: one error, not one per action.
        .exitHereIfFailed()
        .exec(connectAndJoin())
        .exitHereIfFailed()
        .exec(
            asLongAs(session -> System.currentTimeMillis() < session.getLong("until"))
                .on(
                    pace(Duration.ofMillis(1100), Duration.ofMillis(1500))
                        .exec(act("move", this::move, "ack"))
                        .exec(
                            randomSwitch()
                                .on(
                                    percent(8.0).then(speak()),
                                    percent(2.0).then(act("emote", this::emote, "ack")),
                                    percent(20.0)
                                        .then(act("perceive", this::perceive, "perception"))))))
        .exec(ownChatsCameBack())
        .exec(act("leave", s -> "{\"type\":\"leave\"", "ack"))
        .exec(ws("close").close());
  }

  private Session start(Session session, long until) {
    long n = agentsStarted.getAndIncrement();
    return session
        .set("n", n)
        .set("until", until)
        .set("region", roster.regionFor(n))
        .set("name", "load-" + runTag + "-" + n)
        .set("requests", 0L)
        .set("ears", new Ears(figures));
  }

  /**
   * Registers, as a client that honours backpressure: a 503 with {@code retry_after_ms} (the
   * server's bounded key hashing, during a steep ramp) is retried after that long, up to 20 times.
   * Deferrals are counted in the figures; an agent that never got in stops and is counted too.
   */
  private ChainBuilder register() {
    return exec(session -> session.set("registerTries", 0).remove("token"))
        .asLongAs(s -> !s.contains("token") && s.getInt("registerTries") < 20)
        .on(
            exec(session -> session.set("registerTries", session.getInt("registerTries") + 1))
                .exec(
                    http("register")
                        .post("/v1/agents")
                        .body(StringBody(s -> "{\"name\":\"" + s.getString("name") + "\"}"))
                        .asJson()
                        .check(
                            status().in(201, 503).saveAs("registerStatus"),
                            jsonPath("$.token").optional().saveAs("token"),
                            jsonPath("$.agent_id").optional().saveAs("agentId"),
                            jsonPath("$.error.retry_after_ms")
                                .ofLong()
                                .optional()
                                .saveAs("retryAfter")))
                .doIf(s -> !s.contains("token"))
                .then(
                    exec(session -> {
                          figures.count("registrations deferred (503, retried)");
                          return session;
                        })
                        .pause(
                            s ->
                                Duration.ofMillis(
                                    s.contains("retryAfter") ? s.getLong("retryAfter") : 1000))))
        .exec(
            session -> {
              if (!session.contains("token")) {
                figures.count("agents that never registered");
                return session.markAsFailed();
              }
              roster.registered(session.getString("region"), session.getString("agentId"));
              ears(session).belongTo(session.getString("agentId"));
              return session;
            });
  }

  private ChainBuilder connectAndJoin() {
    return exec(ws("connect").connect("/v1/ws/agent?token=#{token}"))
        .exec(
            act(
                "join",
                s ->
                    "{\"type\":\"join\",\"region_id\":\""
                        + s.getString("region")
                        + "\",\"perception_hz\":0,\"position\":"
                        + nearTheMiddle(),
                "welcome"));
  }

  /**
   * Sends one message with a fresh {@code id} and awaits the reply that echoes it, which must be of
   * {@code replyType}: an {@code error} in its place fails the request. Gatling forgets the
   * messages no check matched whenever it sends one, so they are read first.
   */
  private ChainBuilder act(String name, Function<Session, String> openMessage, String replyType) {
    return exec(ws.processUnmatchedMessages(this::listen))
        .exec(
            session -> {
              long k = session.getLong("requests") + 1;
              return session
                  .set("requests", k)
                  .set("req", name.charAt(0) + Long.toString(k))
                  .set("sentAt", System.currentTimeMillis());
            })
        .exec(
            ws("send " + name)
                .sendText(s -> openMessage.apply(s) + ",\"id\":\"" + s.getString("req") + "\"}")
                .await(ANSWER_WITHIN)
                .on(
                    // Named for the action: its time in the report is action to reply.
                    ws.checkTextMessage(name)
                        .matching(replyTo())
                        // An error fails here, naming its code.
                        .check(
                            jsonPath("$.error.code").notExists(),
                            jsonPath("$.type").is(replyType))));
  }

  /**
   * The matching condition of a reply: its {@code id} is the request's. Every message the check
   * sees passes through it, so it also gives each one to the agent's {@link Ears}.
   */
  private CheckBuilder replyTo() {
    return bodyString()
        .transformWithSession(
            (body, session) -> {
              long now = System.currentTimeMillis();
              ears(session).hear(body, now);
              String req = session.getString("req");
              boolean reply = body.contains("\"id\":\"" + req + "\"");
              if (reply && req.startsWith("s") && body.startsWith("{\"type\":\"ack\"")) {
                // Only an accepted chat must come back to its speaker.
                ears(session).spoke();
              }
              if (reply) {
                // Gatling's report has the whole run; this gives each minute, to see a trend.
                long minute = (now - runStart.getAsLong()) / 60_000;
                figures.record(
                    String.format(Locale.ROOT, "reply ms, minute %03d", minute),
                    now - session.getLong("sentAt"));
              }
              return reply;
            })
        .is(true);
  }

  private static Ears ears(Session session) {
    return (Ears) session.get("ears");
  }

  private ChainBuilder speak() {
    return act("speak", this::speech, "ack");
  }

  private String move(Session session) {
    return "{\"type\":\"move\",\"to\":" + nearTheMiddle();
  }

  private String emote(Session session) {
    return "{\"type\":\"emote\",\"emote\":\""
        + EMOTES.get(ThreadLocalRandom.current().nextInt(EMOTES.size()))
        + "\"";
  }

  private String perceive(Session session) {
    return "{\"type\":\"perceive\"";
  }

  private String speech(Session session) {
    String text = "t=" + System.currentTimeMillis() + " hello from " + session.getString("name");
    int roll = ThreadLocalRandom.current().nextInt(100);
    String extra = "";
    if (roll < 10) {
      extra = ",\"volume\":\"whisper\"";
    } else if (roll < 20) {
      extra = ",\"volume\":\"shout\"";
    } else if (roll < 30) {
      String other =
          roster.someoneElseIn(session.getString("region"), session.getString("agentId"));
      extra = other == null ? "" : ",\"to\":\"" + other + "\"";
    }
    return "{\"type\":\"speak\",\"text\":\"" + text + "\"" + extra;
  }

  /** Gives the messages that arrived while no check was waiting to the agent's ears. */
  private Session listen(List<WsInboundMessage> messages, Session session) {
    Ears ears = ears(session);
    for (WsInboundMessage message : messages) {
      if (message instanceof WsInboundMessage.Text text) {
        ears.hear(text.message(), text.timestamp());
      }
    }
    return session;
  }

  /**
   * Before leaving, every chat this agent spoke must have come back to it as an event. The event
   * may arrive after its ack, so a few pings give stragglers time; the last one fails the request
   * "own chats came back" when any is still missing.
   */
  private ChainBuilder ownChatsCameBack() {
    return exec(session -> session.set("tries", 0))
        .exec(
            asLongAs(s -> ears(s).ownChatsMissing() > 0 && s.getInt("tries") < 5)
                .on(
                    exec(session -> session.set("tries", session.getInt("tries") + 1))
                        .pause(Duration.ofMillis(200))
                        .exec(ws.processUnmatchedMessages(this::listen))))
        .exec(
            ws("send last ping")
                .sendText(s -> "{\"type\":\"ping\",\"id\":\"end\"}")
                .await(ANSWER_WITHIN)
                .on(
                    ws.checkTextMessage("own chats came back")
                        .matching(jsonPath("$.id").is("end"))
                        .check(
                            jsonPath("$.type")
                                .transformWithSession((type, s) -> ears(s).ownChatsMissing())
                                // Below 0 when a chat answered `unavailable` was journaled after
                                // all (the contract lets a client retry it with the same id).
                                .lte(0L))));
  }

  private static String nearTheMiddle() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format(
        Locale.ROOT,
        "{\"x\":%.2f,\"y\":%.2f,\"z\":0}",
        128 + random.nextDouble(-SPREAD, SPREAD),
        128 + random.nextDouble(-SPREAD, SPREAD));
  }
}
