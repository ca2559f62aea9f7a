package dev.clawbots.world;

import static dev.clawbots.world.TestRegions.accepted;
import static dev.clawbots.world.TestRegions.join;
import static dev.clawbots.world.TestRegions.region;
import static dev.clawbots.world.TestRegions.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ChatAndPerceptionTest {

  private static RegionSimulation lineOfAgents() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("speaker", 100, 100)));
    accepted(sim.apply(join("at10", 110, 100)));
    accepted(sim.apply(join("at10and-a-bit", 100, 110.01)));
    accepted(sim.apply(join("at20", 80, 100)));
    accepted(sim.apply(join("at100", 100, 200)));
    accepted(sim.apply(join("at150", 250, 100)));
    return sim;
  }

  private static Happening.Spoke say(RegionSimulation sim, ChatRange volume, String to) {
    return (Happening.Spoke)
        accepted(sim.apply(new Decision.Speak("speaker", "hello", volume, to)));
  }

  @Test
  void whispersReachTenMetresAndNoFurther() {
    assertThat(say(lineOfAgents(), ChatRange.WHISPER, null).hearers())
        .containsExactly("speaker", "at10");
  }

  @Test
  void normalSpeechReachesTwentyMetresAndIsTheDefault() {
    assertThat(say(lineOfAgents(), null, null).hearers())
        .containsExactlyInAnyOrder("speaker", "at10", "at10and-a-bit", "at20");
  }

  @Test
  void shoutsReachAHundredMetres() {
    assertThat(say(lineOfAgents(), ChatRange.SHOUT, null).hearers())
        .containsExactlyInAnyOrder("speaker", "at10", "at10and-a-bit", "at20", "at100")
        .doesNotContain("at150");
  }

  @Test
  void heightCountsTowardsEarshot() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("speaker", 100, 100)));
    accepted(
        sim.apply(
            new Decision.Join("flyer", "Flyer", new Vec3(100, 100, 50), Permission.DEFAULTS)));

    assertThat(say(sim, ChatRange.NORMAL, null).hearers()).containsExactly("speaker");
  }

  @Test
  void privateMessagesReachOnlyTheRecipientAtAnyDistance() {
    RegionSimulation sim = lineOfAgents();
    Happening.Spoke spoke = say(sim, ChatRange.WHISPER, "at150");

    assertThat(spoke.hearers()).containsExactly("speaker", "at150");
    assertThat(heard(sim, "at150")).extracting(Heard::to).containsExactly("at150");
    assertThat(heard(sim, "at10")).isEmpty();
  }

  @Test
  void aPrivateMessageToSomeoneElsewhereIsAcceptedAndHeardByNobodyHere() {
    RegionSimulation sim = lineOfAgents();
    assertThat(say(sim, null, "someone-in-another-region").hearers()).containsExactly("speaker");
  }

  @Test
  void emotesAreSeenWithinNormalRange() {
    RegionSimulation sim = lineOfAgents();
    Happening.Emoted e =
        (Happening.Emoted) accepted(sim.apply(new Decision.Emote("speaker", "wave")));

    assertThat(e.witnesses()).containsExactlyInAnyOrder("speaker", "at10", "at10and-a-bit", "at20");
    assertThat(heard(sim, "at20"))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.kind()).isEqualTo(Heard.Kind.EMOTE);
              assertThat(h.text()).isEqualTo("wave");
            });
  }

  @Test
  void perceptionListsNearbyAgentsNearestFirstWithoutSelf() {
    Perception p = perceive(lineOfAgents(), "speaker");

    assertThat(p.nearby())
        .extracting(Perception.Nearby::agentId)
        .containsExactly("at10", "at10and-a-bit", "at20");
    assertThat(p.nearby().get(0).distance()).isEqualTo(10.0);
    assertThat(p.nearby().get(0).name()).isEqualTo("Agent at10");
    assertThat(p.self().regionId()).isEqualTo("main");
    assertThat(p.self().movingTo()).isNull();
  }

  @Test
  void perceptionReportsAtMostFiftyAgents() {
    RegionSimulation sim = region();
    for (int i = 0; i < 80; i++) {
      accepted(sim.apply(join("a" + i, 100 + (i % 9), 100 + (i / 9))));
    }
    Perception p = perceive(sim, "a0");
    assertThat(p.nearby()).hasSize(50);
    assertThat(p.nearby())
        .isSortedAccordingTo(java.util.Comparator.comparingDouble(Perception.Nearby::distance));
  }

  @Test
  void perceptionReportsWhatWasHeardSinceTheLastPerceptionOnlyOnce() {
    RegionSimulation sim = lineOfAgents();
    say(sim, ChatRange.NORMAL, null);
    accepted(sim.apply(new Decision.Speak("at10", "hi back", ChatRange.NORMAL, null)));

    Perception first = perceive(sim, "at10and-a-bit");
    assertThat(first.heard()).extracting(Heard::text).containsExactly("hello", "hi back");
    assertThat(perceive(sim, "at10and-a-bit").heard()).isEmpty();
    // A speaker does not hear itself back in perception.
    assertThat(perceive(sim, "speaker").heard()).extracting(Heard::text).containsExactly("hi back");
  }

  @Test
  void perceptionCarriesTimeOfDayWeatherAndWhereTheAgentIsHeading() {
    RegionSimulation sim = region();
    accepted(sim.apply(join("a", 1, 1)));
    accepted(sim.apply(new Decision.Move("a", new Vec3(5, 5, 21), null)));
    sim.advanceTo(3);

    Perception p = perceive(sim, "a");

    assertThat(p.worldTick()).isEqualTo(3);
    assertThat(p.self().movingTo()).isEqualTo(new Vec3(5, 5, 21));
    assertThat(p.time()).isEqualTo(sim.timeOfDay());
    assertThat(p.weather()).isEqualTo(sim.weather());
  }

  @Test
  void perceptionOfAnAbsentAgentOrWithBadLimitsIsRejected() {
    RegionSimulation sim = lineOfAgents();
    assertThat(rejected(sim.perceive("ghost")).reason()).isEqualTo(RejectionReason.NOT_IN_REGION);
    assertThat(rejected(sim.perceive("speaker", Double.NaN, 5)).reason())
        .isEqualTo(RejectionReason.OUT_OF_BOUNDS);
    assertThat(rejected(sim.perceive("speaker", 10, 0)).reason())
        .isEqualTo(RejectionReason.OUT_OF_BOUNDS);
    assertThat(rejected(sim.perceive(null)).reason()).isEqualTo(RejectionReason.INVALID_ID);
  }

  @Test
  void anInboxKeepsOnlyTheMostRecentMessages() {
    RegionSimulation sim = lineOfAgents();
    for (int i = 0; i < Occupant.INBOX_CAPACITY + 5; i++) {
      accepted(sim.apply(new Decision.Speak("speaker", "m" + i, null, null)));
    }
    assertThat(perceive(sim, "at10").heard())
        .hasSize(Occupant.INBOX_CAPACITY)
        .first()
        .extracting(Heard::text)
        .isEqualTo("m5");
  }

  @Test
  void permissionsAreCheckedPerAction() {
    RegionSimulation sim = region();
    accepted(
        sim.apply(new Decision.Join("mute", "Mute", new Vec3(1, 1, 0), Set.of(Permission.MOVE))));

    assertThat(rejected(sim.apply(new Decision.Speak("mute", "hi", null, null))).reason())
        .isEqualTo(RejectionReason.PERMISSION_DENIED);
    assertThat(rejected(sim.apply(new Decision.Emote("mute", "wave"))).reason())
        .isEqualTo(RejectionReason.PERMISSION_DENIED);
    accepted(sim.apply(new Decision.Move("mute", new Vec3(2, 2, 0), null)));
    assertThat(perceive(sim, "mute").self().agentId()).isEqualTo("mute");
  }

  private static Perception perceive(RegionSimulation sim, String agentId) {
    Outcome<Perception> o = sim.perceive(agentId);
    assertThat(o).isInstanceOf(Outcome.Accepted.class);
    return ((Outcome.Accepted<Perception>) o).value();
  }

  private static java.util.List<Heard> heard(RegionSimulation sim, String agentId) {
    return perceive(sim, agentId).heard();
  }
}
