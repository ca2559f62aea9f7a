package dev.clawbots.region;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Crossing;
import dev.clawbots.world.Edge;
import dev.clawbots.world.Permission;
import dev.clawbots.world.Vec3;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Events on the wire are exactly the contract's shape. */
class WireEventTest {

  private static final Instant AT = Instant.parse("2026-11-21T12:00:00.100Z");
  private static final Vec3 P = new Vec3(12.5, 200.0, 21.0);

  private static String wire(RegionEvent e) {
    return WireJson.write(WireEvent.of(e).orElseThrow());
  }

  @Test
  void aJoinCarriesTheAgentsNameAndPosition() {
    assertThat(
            wire(
                new RegionEvent.AgentJoined(
                    "main", 7, 1234, AT, "a1", "Ada", P, Set.of(Permission.MOVE))))
        .isEqualTo(
            "{\"seq\":7,\"region_id\":\"main\",\"world_tick\":1234,\"type\":\"agent_joined\","
                + "\"source_agent\":\"a1\",\"content\":{\"name\":\"Ada\","
                + "\"position\":{\"x\":12.5,\"y\":200.0,\"z\":21.0}},"
                + "\"created_at\":\"2026-11-21T12:00:00.100Z\"}");
  }

  @Test
  void aPrivateMessageNamesItsTargetAndSaysItIsPrivate() {
    assertThat(
            wire(
                new RegionEvent.Spoke(
                    "main",
                    8,
                    1235,
                    AT,
                    "a1",
                    "psst",
                    ChatRange.WHISPER,
                    "b2",
                    List.of("a1", "b2"))))
        .isEqualTo(
            "{\"seq\":8,\"region_id\":\"main\",\"world_tick\":1235,\"type\":\"chat\","
                + "\"source_agent\":\"a1\",\"target_agent\":\"b2\",\"content\":{\"text\":\"psst\","
                + "\"volume\":\"whisper\",\"private\":true},"
                + "\"created_at\":\"2026-11-21T12:00:00.100Z\"}");
  }

  @Test
  void everyVisibleEventHasItsContractType() {
    Crossing c = new Crossing("a1", "Ada", Permission.DEFAULTS, Edge.EAST, P, P, 3.2);
    assertThat(WireEvent.of(new RegionEvent.AgentLeft("m", 1, 1, AT, "a1", "idle", null)))
        .get()
        .satisfies(w -> assertThat(w.type()).isEqualTo("agent_left"))
        .satisfies(
            w ->
                assertThat(w.content())
                    .containsEntry("reason", "idle")
                    .doesNotContainKey("position"));
    assertThat(
            WireEvent.of(new RegionEvent.MoveStarted("m", 2, 1, AT, "a1", P, P, 3.2))
                .orElseThrow()
                .type())
        .isEqualTo("move_started");
    assertThat(WireEvent.of(new RegionEvent.Arrived("m", 3, 1, AT, "a1", P)).orElseThrow().type())
        .isEqualTo("arrived");
    assertThat(
            WireEvent.of(new RegionEvent.Emoted("m", 4, 1, AT, "a1", "wave", List.of()))
                .orElseThrow()
                .type())
        .isEqualTo("emote");
    WireEvent out =
        WireEvent.of(new RegionEvent.CrossedOut("m", 5, 1, AT, "a1", "east", "m#5", c))
            .orElseThrow();
    WireEvent in =
        WireEvent.of(new RegionEvent.CrossedIn("east", 9, 2, AT, "a1", "m", "m#5", c))
            .orElseThrow();
    assertThat(out.type()).isEqualTo("region_crossed");
    assertThat(out.content())
        .containsEntry("from_region", "m")
        .containsEntry("to_region", "east")
        .containsEntry("direction", "out");
    assertThat(in.type()).isEqualTo("region_crossed");
    assertThat(in.content())
        .containsEntry("from_region", "m")
        .containsEntry("to_region", "east")
        .containsEntry("direction", "in");
  }

  @Test
  void bookkeepingEventsHaveNoWireForm() {
    assertThat(WireEvent.of(new RegionEvent.HandoverConfirmed("m", 5, 1, AT, "m#5"))).isEmpty();
  }
}
