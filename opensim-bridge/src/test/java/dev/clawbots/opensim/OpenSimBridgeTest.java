package dev.clawbots.opensim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.Vec3;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge against a faithful fake grid, stepped by hand on a manual clock. */
class OpenSimBridgeTest {

  private BridgeRig rig;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  private void connected() throws Exception {
    rig = BridgeRig.standard();
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "the first resynchronisation");
    assertThat(rig.bridge.health().status()).isEqualTo("ok");
  }

  @Test
  void npcsAreCreatedForAgentsAndFollowTheirWalks() throws Exception {
    connected();
    rig.event(rig.joined("a-1", "Ada Lovelace!", new Vec3(10, 20, 21)));
    rig.event(rig.joined("b-2", "Bo", new Vec3(30, 40, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPCs created");

    assertThat(rig.main().npcs).hasSize(2);
    FakeGrid.Npc ada = rig.npcOf("a-1");
    assertThat(ada.first).isEqualTo("AdaLovelace");
    assertThat(ada.last).isEqualTo(NpcName.lastNameOf("a-1")).startsWith("Claw");
    assertThat(ada.x).isEqualTo(10.0);
    assertThat(ada.y).isEqualTo(20.0);

    rig.event(rig.moveStarted("a-1", new Vec3(10, 20, 21), new Vec3(60, 70, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "the walk sent");
    assertThat(rig.npcOf("a-1").x).isEqualTo(60.0);
    assertThat(rig.npcOf("a-1").y).isEqualTo(70.0);

    // A target past the edge (a crossing) is kept inside the region.
    rig.event(rig.moveStarted("b-2", new Vec3(30, 40, 21), new Vec3(300, 40, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "the walk sent");
    assertThat(rig.npcOf("b-2").x).isLessThan(256.0);

    rig.event(rig.left("b-2", new Vec3(30, 40, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "the NPC removed");
    assertThat(rig.main().npcs).hasSize(1);
    assertThat(rig.bridge.npcs("main")).containsOnlyKeys("a-1");
    assertThat(rig.gridCallThreads).doesNotContain("region-main");
    assertThat(rig.grid.oversizedBatches.get()).isZero();
  }

  @Test
  void npcsSayWhatAgentsSayAtTheirVolumeAndPlayTheirEmotes() throws Exception {
    connected();
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.event(rig.spoke("a", "hello", ChatRange.NORMAL, null));
    rig.event(rig.spoke("a", "psst", ChatRange.WHISPER, null));
    rig.event(rig.spoke("a", "HEY", ChatRange.SHOUT, null));
    rig.event(rig.spoke("a", "only for b", ChatRange.NORMAL, "b"));
    rig.event(rig.emoted("a", "wave"));
    rig.event(rig.emoted("a", "scratches her head"));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "chat sent");

    String npc = rig.npcOf("a").name();
    assertThat(rig.main().chat)
        .extracting(FakeGrid.Said::npc, FakeGrid.Said::how, FakeGrid.Said::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(npc, "n", "hello"),
            org.assertj.core.groups.Tuple.tuple(npc, "w", "psst"),
            org.assertj.core.groups.Tuple.tuple(npc, "s", "HEY"),
            org.assertj.core.groups.Tuple.tuple(npc, "n", "/me scratches her head"));
    assertThat(rig.main().animations).containsExactly(npc + ":hello");
  }

  @Test
  void aLineThatJsonEscapesPastABatchIsCutToFitRatherThanHoldingUpTheQueue() throws Exception {
    connected();
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPC created");
    rig.event(rig.spoke("a", "\n".repeat(1000), ChatRange.NORMAL, null)); // 2 bytes each in JSON
    rig.event(rig.spoke("a", "after it", ChatRange.NORMAL, null));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "both said");
    assertThat(rig.main().chat).hasSize(2);
    assertThat(rig.main().chat.get(0).text()).isNotEmpty().matches("\n+");
    assertThat(rig.main().chat.get(1).text()).isEqualTo("after it");
    assertThat(rig.grid.oversizedBatches.get()).isZero();
  }

  @Test
  void chatIsPacedAtTenPerSecondPerRegionAndTheRestWaitsInOrder() throws Exception {
    connected();
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPC created");
    for (int i = 0; i < 35; i++) {
      rig.event(rig.spoke("a", "line " + i, ChatRange.NORMAL, null));
    }
    rig.ticks(9); // 0.9 s
    assertThat(rig.main().chat).hasSize(10);
    rig.tickUntil(() -> rig.main().chat.size() == 35, 50, "every line said");

    assertThat(rig.main().chat.stream().map(FakeGrid.Said::text).collect(Collectors.toList()))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 35).mapToObj(i -> "line " + i).toList());
    assertThat(rig.main().throttled.get()).as("says past OpenSim's throttle").isZero();
    // 35 lines at 10 a second take at least 3 seconds.
    long first = rig.main().chat.get(0).at();
    long last = rig.main().chat.get(34).at();
    assertThat(last - first).isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos());
  }

  @Test
  void theAgentsPastTheNpcCapAreReportedNotMirroredAndGetAPlaceWhenOneIsFree() throws Exception {
    connected();
    rig.grid.npcCap = 3; // MaxNumberNPCsPerScene: osNpcCreate answers NULL_KEY past it
    for (int i = 0; i < 5; i++) {
      rig.event(rig.joined("a" + i, "Agent" + i, new Vec3(10 + i, 20, 21)));
    }
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPCs created");

    assertThat(rig.main().npcs).hasSize(3);
    assertThat(rig.bridge.health().regions().get(0).unmirrored()).isEqualTo(2);
    assertThat(rig.metrics.unmirrored.get("main")).isEqualTo(2);
    assertThat(rig.bridge.health().status()).isEqualTo("ok");
    String left = rig.bridge.npcs("main").keySet().stream().findFirst().orElseThrow();
    String outside =
        List.of("a0", "a1", "a2", "a3", "a4").stream()
            .filter(id -> !rig.bridge.npcs("main").containsKey(id))
            .findFirst()
            .orElseThrow();
    rig.event(rig.spoke(outside, "am I heard?", ChatRange.NORMAL, null));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "chat handled");
    assertThat(rig.main().chat).isEmpty();
    assertThat(rig.metrics.dropped("main", "unmirrored")).isEqualTo(1);

    rig.event(rig.left(left, new Vec3(10, 20, 21)));
    rig.tickUntil(
        () -> rig.bridge.settled("main") && rig.bridge.health().regions().get(0).unmirrored() == 1,
        30,
        "a freed place taken");
    assertThat(rig.main().npcs).hasSize(3);
    assertThat(rig.bridge.npcs("main")).doesNotContainKey(left);
  }

  @Test
  void theBridgesOwnCapKeepsItFromAskingPastIt() throws Exception {
    rig = new BridgeRig("pw", 2, "pw");
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "connected");
    for (int i = 0; i < 4; i++) {
      rig.event(rig.joined("a" + i, "Agent" + i, new Vec3(10 + i, 20, 21)));
    }
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPCs created");
    assertThat(rig.main().npcs).hasSize(2);
    assertThat(rig.bridge.health().regions().get(0).unmirrored()).isEqualTo(2);
  }

  @Test
  void aWrongPasswordIsAClearConfigurationErrorAndIsNotRetriedAsAnOutage() throws Exception {
    rig = new BridgeRig("not-the-password", 0, "pw");
    rig.tick();
    BridgeHealth health = rig.bridge.health();
    assertThat(health.status()).isEqualTo("down");
    assertThat(health.breaker()).isEqualTo("misconfigured");
    assertThat(health.problem())
        .startsWith("configuration error")
        .contains("wrong password", "OPENSIM_PASSWORD");
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));

    rig.ticks(600); // a minute
    assertThat(rig.grid.adminCalls()).as("calls in the first minute").isEqualTo(1);
    assertThat(rig.grid.relayBatches.get()).isZero();
    rig.nanos.addAndGet(Duration.ofMinutes(5).toNanos());
    rig.tick();
    assertThat(rig.grid.adminCalls()).as("one recheck after five minutes").isEqualTo(2);
  }

  @Test
  void aMethodRemoteAdminDoesNotOfferIsAConfigurationErrorNamingIt() throws Exception {
    rig = BridgeRig.standard();
    rig.grid.enabledMethods = java.util.Set.of("admin_get_agents");
    rig.tick();
    assertThat(rig.bridge.health().problem())
        .contains("admin_get_opensim_version", "-32601", "enabled_methods");
    assertThat(rig.bridge.health().breaker()).isEqualTo("misconfigured");
    rig.ticks(100);
    assertThat(rig.grid.adminCalls()).isEqualTo(1);
  }

  @Test
  void probesOfAGridThatIsDownBackOffUpToTheCeiling() throws Exception {
    connected();
    rig.grid.stop();
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.tick(); // the create fails: the grid is down
    assertThat(rig.bridge.health().status()).isEqualTo("down");
    assertThat(rig.bridge.health().breaker()).isEqualTo("open");
    assertThat(rig.bridge.backoff()).isEqualTo(Duration.ofSeconds(2));
    List<Duration> waits = new java.util.ArrayList<>();
    for (int probe = 0; probe < 6; probe++) {
      Duration wait = rig.bridge.backoff();
      int before = probesSoFar();
      rig.ticks((int) (wait.toMillis() / 100) - 1);
      assertThat(probesSoFar()).as("no probe before the backoff is over").isEqualTo(before);
      rig.tick();
      assertThat(probesSoFar()).as("a probe once it is over").isEqualTo(before + 1);
      waits.add(wait);
    }
    assertThat(waits)
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
  }

  private int probesSoFar() {
    return rig.bridge.probesSent();
  }

  @Test
  void aRestartedRegionsRelayRegistersAgainAndItsNpcsAreMadeAgain() throws Exception {
    connected();
    for (int i = 0; i < 5; i++) {
      rig.event(rig.joined("a" + i, "Agent" + i, new Vec3(10 + 5 * i, 20, 21)));
    }
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPCs created");
    int resyncs = rig.bridge.resyncs();

    rig.grid.restartRegion(BridgeRig.MAIN, true);
    assertThat(rig.main().npcs).isEmpty();
    rig.tickUntil(() -> rig.bridge.settled("main"), 30, "NPCs made again");

    assertThat(rig.main().npcs).hasSize(5);
    assertThat(rig.bridge.resyncs()).isEqualTo(resyncs + 1);
    for (int i = 0; i < 5; i++) {
      assertThat(rig.npcOf("a" + i).x).isEqualTo(10.0 + 5 * i);
    }
  }

  @Test
  void aStaleRelayUrlWaitsForTheScriptToRegisterAgain() throws Exception {
    connected();
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPC created");

    rig.grid.restartRegion(BridgeRig.MAIN, false); // the old URL now answers 404
    rig.event(rig.spoke("a", "anyone?", ChatRange.NORMAL, null));
    rig.ticks(3);
    assertThat(rig.grid.staleAnswers.get()).isEqualTo(1);
    BridgeHealth.RegionStatus main = rig.bridge.health().regions().get(0);
    assertThat(main.relayRegistered()).isFalse();
    assertThat(main.problem()).contains("stale");
    assertThat(rig.bridge.health().status()).as("a stale URL is not an outage").isEqualTo("ok");
    rig.ticks(50);
    assertThat(rig.grid.staleAnswers.get()).as("no calls to a stale URL").isEqualTo(1);

    rig.grid.register(BridgeRig.MAIN);
    rig.tickUntil(() -> rig.bridge.settled("main"), 30, "resynchronised");
    assertThat(rig.main().npcs).hasSize(1);
    assertThat(rig.main().chat).extracting(FakeGrid.Said::text).containsExactly("anyone?");
  }

  @Test
  void slowRelayAnswersNeverHoldUpTheRegionAndTheLatestStateGoesWhenTheyCome() throws Exception {
    rig = new BridgeRig("pw", 0, "pw", 50);
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "connected");
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPC created");

    rig.grid.slowDown();
    rig.event(rig.moveStarted("a", new Vec3(10, 20, 21), new Vec3(11, 20, 21)));
    rig.nanos.addAndGet(BridgeRig.STEP.toNanos());
    rig.bridge.step();
    BridgeRig.await(() -> rig.grid.held.get() == 1, "the batch held by the slow script");
    // The region goes on: every call returns at once (onRegion fails after 5 s) while held.
    for (int i = 0; i < 100; i++) {
      rig.event(rig.moveStarted("a", new Vec3(10, 20, 21), new Vec3(12 + i, 20, 21)));
      rig.event(rig.spoke("a", "line " + i, ChatRange.NORMAL, null));
      rig.nanos.addAndGet(BridgeRig.STEP.toNanos());
      rig.bridge.step();
    }
    assertThat(rig.grid.held.get()).as("one batch in flight per region").isEqualTo(1);
    rig.bridge.step();
    assertThat(rig.metrics.dropped("main", "overflow")).isEqualTo(50);

    rig.grid.release();
    BridgeRig.await(rig.bridge::idle, "the held batch answered");
    rig.tickUntil(() -> rig.bridge.settled("main"), 100, "the queue sent");
    assertThat(rig.npcOf("a").x).as("the latest target").isEqualTo(111.0);
    assertThat(rig.main().chat).hasSize(50);
    assertThat(rig.main().chat.get(0).text()).isEqualTo("line 50");
    assertThat(rig.main().throttled.get()).isZero();
  }

  @Test
  void aScriptTimeoutIsNotAnOutageAndTheRegionIsResynchronisedWithoutDuplicates() throws Exception {
    connected();
    // The script ran the batch but answered too late: the NPCs exist, their keys never came.
    rig.grid.scriptTimeouts = true;
    for (int i = 0; i < 3; i++) {
      rig.event(rig.joined("a" + i, "Agent" + i, new Vec3(10 + i, 20, 21)));
    }
    rig.tick();
    assertThat(rig.bridge.health().status()).isEqualTo("ok");
    assertThat(rig.main().npcs).hasSize(3);
    assertThat(rig.bridge.npcs("main")).isEmpty();
    rig.grid.scriptTimeouts = false;
    rig.tickUntil(() -> rig.bridge.settled("main"), 60, "resynchronised");
    assertThat(rig.main().npcs).as("adopted, not made twice").hasSize(3);
    assertThat(rig.bridge.npcs("main")).containsOnlyKeys("a0", "a1", "a2");
  }

  @Test
  void npcsThatDriftAreMeasuredAndSentBack() throws Exception {
    connected();
    rig.event(rig.joined("a", "Ada", new Vec3(10, 20, 21)));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "NPC created");
    rig.grid.displace(BridgeRig.MAIN, rig.bridge.npcs("main").get("a"), 13, 24);

    rig.ticks(300); // the drift check runs every 30 s
    assertThat(rig.metrics.drift.get("main")).isCloseTo(5.0, within(1e-9));
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "sent back");
    assertThat(rig.npcOf("a").x).isEqualTo(10.0);
    assertThat(rig.npcOf("a").y).isEqualTo(20.0);
  }

  @Test
  void aRegionTheGridDoesNotHaveIsReportedByName() throws Exception {
    rig = new BridgeRig("pw", 0, "pw", 200, "Some Other Region");
    rig.tick();
    assertThat(rig.bridge.health().status()).isEqualTo("ok");
    assertThat(rig.bridge.health().regions().get(0).problem())
        .contains("no region named \"" + BridgeRig.MAIN + "\"", "clawbots.opensim.regions");
    assertThat(rig.grid.adminCalls("admin_region_query")).isEqualTo(1);
  }

  @Test
  void theRelaysRequestsAreCheckedForTheirSecretRegionAndUrl() throws Exception {
    rig = BridgeRig.standard();
    assertThat(rig.bridge.register(BridgeRig.MAIN, "http://127.0.0.1:9/lslhttp/x/", "wrong"))
        .isEqualTo(
            new RelayVerdict.Refused(
                "forbidden", "the secret does not match the server's OPENSIM_RELAY_SECRET"));
    assertThat(rig.bridge.register("Atlantis", "http://127.0.0.1:9/", BridgeRig.SECRET))
        .isInstanceOfSatisfying(
            RelayVerdict.Refused.class,
            r -> {
              assertThat(r.code()).isEqualTo("not_found");
              assertThat(r.message()).contains("Atlantis", BridgeRig.MAIN);
            });
    assertThat(rig.bridge.register(BridgeRig.MAIN, "not a url", BridgeRig.SECRET))
        .isInstanceOfSatisfying(
            RelayVerdict.Refused.class, r -> assertThat(r.code()).isEqualTo("bad_request"));
    assertThat(rig.bridge.register(BridgeRig.MAIN, "ftp://h/x", BridgeRig.SECRET))
        .isInstanceOfSatisfying(
            RelayVerdict.Refused.class, r -> assertThat(r.code()).isEqualTo("bad_request"));
    assertThat(rig.bridge.admit(BridgeRig.MAIN, BridgeRig.SECRET))
        .isEqualTo(new RelayVerdict.Admitted("main"));
  }
}
