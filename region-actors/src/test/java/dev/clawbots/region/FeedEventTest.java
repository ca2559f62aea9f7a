package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Crossing;
import dev.clawbots.world.Edge;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An event's audience on the nodes' feed: a chat reaches its hearers, an emote its witnesses, any
 * other visible event only the agent it is about; bookkeeping events do not travel.
 */
class FeedEventTest {

  private static final Instant AT = Instant.parse("2026-11-21T12:00:00.100Z");
  private static final Vec3 P = new Vec3(12.5, 200.0, 21.0);
  private static final Crossing C =
      new Crossing("a1", "Ada", Permission.DEFAULTS, Edge.EAST, P, P, 3.2);

  private static FeedEvent feed(RegionEvent e) {
    return FeedEvent.of(e).orElseThrow();
  }

  @Test
  void aPublicChatReachesItsHearers() {
    RegionEvent.Spoke spoke =
        new RegionEvent.Spoke(
            "main", 3, 10, AT, "a1", "hi", ChatRange.NORMAL, null, List.of("a1", "b2", "c3"));
    FeedEvent chat = feed(spoke);
    assertThat(chat.audience()).containsExactly("a1", "b2", "c3");
    assertThat(chat.reaches("b2")).isTrue();
    assertThat(chat.reaches("d4")).isFalse();
    assertThat(chat.seq()).isEqualTo(3);
    assertThat(chat.event()).isEqualTo(WireEvent.of(spoke).orElseThrow());
  }

  @Test
  void aPrivateChatReachesTheSpeakerAndItsTargetWhenItIsThere() {
    FeedEvent here =
        feed(
            new RegionEvent.Spoke(
                "main", 4, 10, AT, "a1", "psst", ChatRange.WHISPER, "b2", List.of("a1", "b2")));
    assertThat(here.audience()).containsExactly("a1", "b2");
    assertThat(here.reaches("c3")).isFalse();

    // The target is in another region: here only the speaker perceives it.
    FeedEvent elsewhere =
        feed(
            new RegionEvent.Spoke(
                "main", 5, 10, AT, "a1", "psst", ChatRange.WHISPER, "z9", List.of("a1")));
    assertThat(elsewhere.audience()).containsExactly("a1");
    assertThat(elsewhere.reaches("z9")).isFalse();
    assertThat(elsewhere.event().targetAgent()).isEqualTo("z9");
  }

  @Test
  void anEmoteReachesItsWitnesses() {
    FeedEvent emote =
        feed(new RegionEvent.Emoted("main", 6, 10, AT, "a1", "wave", List.of("a1", "c3")));
    assertThat(emote.audience()).containsExactly("a1", "c3");
    assertThat(emote.reaches("c3")).isTrue();
    assertThat(emote.reaches("b2")).isFalse();
  }

  @Test
  void everyOtherVisibleEventReachesOnlyItsAgent() {
    List<RegionEvent> events =
        List.of(
            new RegionEvent.AgentJoined("main", 1, 1, AT, "a1", "Ada", P, Permission.DEFAULTS),
            new RegionEvent.AgentLeft("main", 2, 1, AT, "a1", "left", P),
            new RegionEvent.AgentLeft("main", 3, 1, AT, "a1", "idle", null),
            new RegionEvent.MoveStarted("main", 4, 1, AT, "a1", P, P, 3.2),
            new RegionEvent.Arrived("main", 5, 1, AT, "a1", P),
            new RegionEvent.CrossedOut("main", 6, 1, AT, "a1", "harbor", "main#6", C),
            new RegionEvent.CrossedIn("harbor", 7, 1, AT, "a1", "main", "main#6", C));
    for (RegionEvent e : events) {
      FeedEvent f = feed(e);
      assertThat(f.audience()).as(e.getClass().getSimpleName()).containsExactly("a1");
      assertThat(f.reaches("a1")).isTrue();
      assertThat(f.reaches("b2")).isFalse();
      assertThat(f.seq()).isEqualTo(e.seq());
      assertThat(f.event()).isEqualTo(WireEvent.of(e).orElseThrow());
    }
  }

  @Test
  void bookkeepingEventsDoNotTravel() {
    assertThat(FeedEvent.of(new RegionEvent.HandoverConfirmed("main", 5, 1, AT, "main#5")))
        .isEmpty();
  }

  @Test
  void theAudienceCannotBeChangedAfterwards() {
    List<String> hearers = new ArrayList<>(List.of("a1"));
    FeedEvent f =
        new FeedEvent(feed(new RegionEvent.Arrived("main", 5, 1, AT, "a1", P)).event(), hearers);
    hearers.add("b2");
    assertThat(f.audience()).containsExactly("a1");
  }

  @Test
  void aChatRoundTripsThroughJsonAsEventAndAudience() {
    FeedEvent chat =
        feed(
            new RegionEvent.Spoke(
                "main", 8, 1235, AT, "a1", "psst", ChatRange.WHISPER, "b2", List.of("a1", "b2")));
    String json = WireJson.write(chat);
    assertThat(json)
        .isEqualTo(
            "{\"event\":{\"seq\":8,\"region_id\":\"main\",\"world_tick\":1235,\"type\":\"chat\","
                + "\"source_agent\":\"a1\",\"target_agent\":\"b2\",\"content\":{\"text\":\"psst\","
                + "\"volume\":\"whisper\",\"private\":true},"
                + "\"created_at\":\"2026-11-21T12:00:00.100Z\"},"
                + "\"audience\":[\"a1\",\"b2\"]}");
    assertThat(WireJson.read(json, FeedEvent.class)).isEqualTo(chat);
  }

  @Test
  void anEventWithPositionsReadsBackToTheSameJson() {
    // Content read back is plain maps, not Vec3s: equal as JSON, which is what gateways send on.
    FeedEvent joined =
        feed(new RegionEvent.AgentJoined("main", 1, 7, AT, "a1", "Ada", P, Permission.DEFAULTS));
    String json = WireJson.write(joined);
    assertThat(json)
        .startsWith("{\"event\":{\"seq\":1,\"region_id\":\"main\"")
        .contains("\"position\":{\"x\":12.5,\"y\":200.0,\"z\":21.0}")
        .endsWith(",\"audience\":[\"a1\"]}");
    FeedEvent read = WireJson.read(json, FeedEvent.class);
    assertThat(read.audience()).containsExactly("a1");
    assertThat(read.seq()).isEqualTo(1);
    assertThat(read.event().createdAt()).isEqualTo(AT);
    assertThat(WireJson.write(read)).isEqualTo(json);
  }
}
