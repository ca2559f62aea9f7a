package dev.clawbots.world;

import static dev.clawbots.world.TestRegions.accepted;
import static dev.clawbots.world.TestRegions.join;
import static dev.clawbots.world.TestRegions.region;
import static dev.clawbots.world.TestRegions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad decision gets a typed rejection, and leaves the region exactly as it was. */
class BadDecisionsTest {

  private static final Vec3 OK = new Vec3(10, 10, 21);

  static Stream<Arguments> badDecisions() {
    String longText = "x".repeat(DecisionRules.MAX_TEXT_BYTES + 1);
    // 342 three-byte characters: 342 characters but 1026 bytes.
    String longInBytes = "\u20ac".repeat(342);
    return Stream.of(
        bad(RejectionReason.INVALID_ID, null),
        bad(RejectionReason.INVALID_ID, new Decision.Leave(null)),
        bad(RejectionReason.INVALID_ID, new Decision.Leave("")),
        bad(RejectionReason.INVALID_ID, new Decision.Leave("has space")),
        bad(RejectionReason.INVALID_ID, new Decision.Leave("x".repeat(65))),
        bad(RejectionReason.INVALID_NAME, new Decision.Join("b", " ", OK, Permission.DEFAULTS)),
        bad(RejectionReason.INVALID_NAME, new Decision.Join("b", null, OK, Permission.DEFAULTS)),
        bad(
            RejectionReason.INVALID_NAME,
            new Decision.Join("b", "x".repeat(65), OK, Permission.DEFAULTS)),
        bad(
            RejectionReason.INVALID_NAME,
            new Decision.Join("b", "bell\u0007", OK, Permission.DEFAULTS)),
        bad(
            RejectionReason.NOT_A_NUMBER,
            new Decision.Join("b", "B", new Vec3(Double.NaN, 1, 1), Permission.DEFAULTS)),
        bad(
            RejectionReason.OUT_OF_BOUNDS,
            new Decision.Join("b", "B", new Vec3(256, 1, 1), Permission.DEFAULTS)),
        bad(
            RejectionReason.OUT_OF_BOUNDS,
            new Decision.Join("b", "B", new Vec3(1, -0.001, 1), Permission.DEFAULTS)),
        bad(
            RejectionReason.OUT_OF_BOUNDS,
            new Decision.Join("b", "B", new Vec3(1, 1, 4096.5), Permission.DEFAULTS)),
        bad(RejectionReason.PERMISSION_DENIED, new Decision.Join("b", "B", OK, null)),
        bad(RejectionReason.ALREADY_IN_REGION, join("a", 5, 5)),
        bad(RejectionReason.NOT_A_NUMBER, new Decision.Move("a", null, null)),
        bad(RejectionReason.NOT_A_NUMBER, new Decision.Move("a", new Vec3(Double.NaN, 1, 1), null)),
        bad(
            RejectionReason.NOT_A_NUMBER,
            new Decision.Move("a", new Vec3(1, Double.POSITIVE_INFINITY, 1), null)),
        bad(
            RejectionReason.NOT_A_NUMBER,
            new Decision.Move("a", new Vec3(1, 1, Double.NEGATIVE_INFINITY), null)),
        bad(RejectionReason.OUT_OF_BOUNDS, new Decision.Move("a", new Vec3(512, 1, 1), null)),
        bad(RejectionReason.OUT_OF_BOUNDS, new Decision.Move("a", new Vec3(1, -256.5, 1), null)),
        bad(RejectionReason.OUT_OF_BOUNDS, new Decision.Move("a", new Vec3(1, 1, -1), null)),
        bad(RejectionReason.OUT_OF_BOUNDS, new Decision.Move("a", new Vec3(1, 1, 5000), null)),
        bad(RejectionReason.SPEED_OUT_OF_RANGE, new Decision.Move("a", OK, 10.01)),
        bad(RejectionReason.SPEED_OUT_OF_RANGE, new Decision.Move("a", OK, 0.0)),
        bad(RejectionReason.SPEED_OUT_OF_RANGE, new Decision.Move("a", OK, -3.0)),
        bad(RejectionReason.NOT_A_NUMBER, new Decision.Move("a", OK, Double.NaN)),
        bad(RejectionReason.NOT_A_NUMBER, new Decision.Move("a", OK, Double.POSITIVE_INFINITY)),
        bad(RejectionReason.EMPTY_TEXT, new Decision.Speak("a", "", null, null)),
        bad(RejectionReason.EMPTY_TEXT, new Decision.Speak("a", " \n\t", null, null)),
        bad(RejectionReason.EMPTY_TEXT, new Decision.Speak("a", null, null, null)),
        bad(RejectionReason.TEXT_TOO_LONG, new Decision.Speak("a", longText, null, null)),
        bad(RejectionReason.TEXT_TOO_LONG, new Decision.Speak("a", longInBytes, null, null)),
        bad(RejectionReason.INVALID_ID, new Decision.Speak("a", "hi", null, "bad recipient")),
        bad(RejectionReason.UNKNOWN_EMOTE, new Decision.Emote("a", "jump")),
        bad(RejectionReason.EMPTY_TEXT, new Decision.Emote("a", "")),
        bad(RejectionReason.TEXT_TOO_LONG, new Decision.Emote("a", "waves " + "x".repeat(251))),
        bad(RejectionReason.NOT_IN_REGION, new Decision.Leave("ghost")),
        bad(RejectionReason.NOT_IN_REGION, new Decision.Move("ghost", OK, null)),
        bad(RejectionReason.NOT_IN_REGION, new Decision.Speak("ghost", "boo", null, null)),
        bad(RejectionReason.NOT_IN_REGION, new Decision.Emote("ghost", "wave")),
        bad(RejectionReason.INVALID_ID, new Decision.CrossIn(null)),
        bad(RejectionReason.ALREADY_IN_REGION, new Decision.CrossIn(crossing("a", OK, OK, 3))),
        bad(
            RejectionReason.OUT_OF_BOUNDS,
            new Decision.CrossIn(crossing("c", new Vec3(-1, 1, 1), OK, 3))),
        bad(
            RejectionReason.NOT_A_NUMBER,
            new Decision.CrossIn(crossing("c", OK, new Vec3(Double.NaN, 1, 1), 3))),
        bad(RejectionReason.SPEED_OUT_OF_RANGE, new Decision.CrossIn(crossing("c", OK, OK, 11))));
  }

  private static Arguments bad(RejectionReason reason, Decision d) {
    return Arguments.of(reason, d);
  }

  private static Crossing crossing(String id, Vec3 entry, Vec3 target, double speed) {
    return new Crossing(id, "C", Permission.DEFAULTS, Edge.EAST, entry, target, speed);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badDecisions")
  void isRejectedWithItsReasonAndChangesNothing(RejectionReason reason, Decision decision) {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 5, 5)));
    var before = sim.snapshot();

    assertThat(sim.check(decision)).get().extracting(Rejection::reason).isEqualTo(reason);
    Rejection r = rejected(sim.apply(decision));

    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.message()).isNotBlank();
    assertThat(sim.snapshot()).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("goodEmotes")
  void namedGesturesAndFreeTextEmotesAreAccepted(String emote) {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 5, 5)));
    assertThat(sim.check(new Decision.Emote("a", emote))).isEmpty();
  }

  static Stream<String> goodEmotes() {
    return Stream.of(
        "wave",
        "nod",
        "bow",
        "laugh",
        "shrug",
        "point",
        "dance",
        "sit",
        "stand",
        "waves at everyone",
        "Grins",
        "x".repeat(DecisionRules.MAX_EMOTE_BYTES - 1) + " ");
  }

  @ParameterizedTest
  @MethodSource("texts")
  void utf8LengthMatchesTheEncoder(String text) {
    assertThat(DecisionRules.utf8Length(text))
        .isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  static Stream<String> texts() {
    return Stream.of(
        "", "abc", "\u00e9t\u00e9", "\u20ac", "\uD83D\uDE00 smile", "\uD83D", "a\uDE00b");
  }
}
