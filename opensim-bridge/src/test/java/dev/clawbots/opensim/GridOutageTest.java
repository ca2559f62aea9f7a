package dev.clawbots.opensim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ChatRange;
import dev.clawbots.world.TickReport;
import dev.clawbots.world.Vec3;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid goes away for 30 s (of the manual clock) while 100 agents walk and talk, and comes back
 * restarted, with no NPCs. What a region does meanwhile runs on a thread of its own, as a region's
 * would; every call from it must return at once and none may reach the grid.
 */
class GridOutageTest {

  private static final Logger log = LoggerFactory.getLogger(GridOutageTest.class);
  private static final int AGENTS = 100;

  private BridgeRig rig;
  private final List<Vec3> positions = new ArrayList<>();
  private long regionSideNanos;
  private int utterances;

  @AfterEach
  void close() {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void theWorldGoesOnWhileTheGridIsDownAndEveryNpcIsBackInPlaceAfterOneResync() throws Exception {
    rig = new BridgeRig("pw", 0, "pw", 200);
    rig.grid.npcCap = 0;
    rig.tickUntil(() -> rig.bridge.settled("main"), 20, "connected");
    for (int i = 0; i < AGENTS; i++) {
      Vec3 p = new Vec3(5 + (i % 10) * 25, 5 + (i / 10) * 25, 21);
      positions.add(p);
      rig.event(rig.joined("agent-" + i, "Agent " + i, p));
    }
    rig.tickUntil(() -> rig.bridge.settled("main"), 50, "100 NPCs created");
    assertThat(rig.main().npcs).hasSize(AGENTS);

    regionSideNanos = 0;
    for (int t = 0; t < 50; t++) {
      worldTick(t);
      rig.tick();
    }
    long up = regionSideNanos;
    rig.tickUntil(() -> rig.bridge.settled("main"), 100, "caught up before the outage");

    int saidBefore = rig.main().chat.size() + rig.main().animations.size();
    rig.grid.stop();
    regionSideNanos = 0;
    utterances = 0;
    for (int t = 0; t < 300; t++) { // 30 s
      worldTick(t);
      rig.tick();
      if (t == 1) {
        assertThat(rig.bridge.health().status()).isEqualTo("down");
      }
    }
    long down = regionSideNanos;
    for (int i = 0; i < AGENTS; i++) {
      Vec3 last = positions.get(i);
      rig.event(rig.arrived("agent-" + i, last));
    }
    assertThat(rig.bridge.health().status()).isEqualTo("down");
    assertThat(rig.bridge.health().breaker()).isEqualTo("open");
    assertThat(rig.bridge.health().regions().get(0).queued()).isLessThanOrEqualTo(200 + AGENTS);
    rig.tick();
    assertThat(rig.metrics.dropped("main", "overflow"))
        .as("chat past the bound, oldest first")
        .isEqualTo(utterances - 200);

    int resyncs = rig.bridge.resyncs();
    rig.grid.restart(); // back, with no NPCs; the relay registers again
    rig.tickUntil(() -> rig.bridge.health().status().equals("ok"), 310, "the probe succeeds");
    rig.tickUntil(() -> rig.bridge.settled("main"), 400, "resynchronised");

    assertThat(rig.bridge.resyncs()).as("one resync").isEqualTo(resyncs + 1);
    assertThat(rig.main().npcs).hasSize(AGENTS);
    for (int i = 0; i < AGENTS; i++) {
      FakeGrid.Npc npc = rig.npcOf("agent-" + i);
      Vec3 p = positions.get(i);
      assertThat(npc).as("agent-%d's NPC", i).isNotNull();
      assertThat(new double[] {npc.x, npc.y})
          .as("agent-%d's NPC", i)
          .containsExactly(Math.round(p.x() * 100) / 100.0, Math.round(p.y() * 100) / 100.0);
    }
    assertThat(rig.main().chat.size() + rig.main().animations.size() - saidBefore)
        .as("the most recent chat and emotes, played after the return")
        .isEqualTo(200);
    assertThat(rig.main().chat.get(rig.main().chat.size() - 1).text()).isEqualTo("tick 299 #2");
    assertThat(rig.main().throttled.get()).isZero();
    assertThat(rig.grid.oversizedBatches.get()).isZero();
    assertThat(rig.gridCallThreads)
        .as("threads that called the grid")
        .doesNotContain("region-main");
    // Timing on a shared machine is noisy, so this is reported and only bounded loosely; what
    // holds the tick time is that no region-side call waits for the grid (asserted above, and in
    // the slow relay test, where a waiting call would hang).
    log.info(
        "region-side time per tick: {} us with the grid up, {} us with it down",
        up / 50 / 1000,
        down / 300 / 1000);
    assertThat(down / 300).isLessThan(Math.max(5 * (up / 50), 2_000_000));
  }

  /** One tick of 100 agents: all move a little, some set off, three speak, now and then emotes. */
  private void worldTick(int t) {
    List<TickReport.AgentPosition> moved = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      Vec3 p = positions.get(i);
      Vec3 next = new Vec3(p.x(), (p.y() + 0.32) % 250, p.z());
      positions.set(i, next);
      moved.add(new TickReport.AgentPosition("agent-" + i, next));
    }
    List<dev.clawbots.region.RegionEvent> events = new ArrayList<>();
    if (t % 10 == 0) {
      for (int i = 0; i < AGENTS; i++) {
        Vec3 p = positions.get(i);
        events.add(rig.moveStarted("agent-" + i, p, new Vec3(p.x(), p.y() + 3.2, p.z())));
      }
    }
    for (int k = 0; k < 3; k++) {
      events.add(
          rig.spoke(
              "agent-" + ((t * 3 + k) % AGENTS), "tick " + t + " #" + k, ChatRange.NORMAL, null));
      utterances++;
    }
    if (t % 20 == 0) {
      for (int k = 0; k < 5; k++) {
        events.add(rig.emoted("agent-" + k, "wave"));
        utterances++;
      }
    }
    rig.onRegion(
        () -> {
          long start = System.nanoTime();
          rig.bridge.agentsMoved("main", t, moved);
          events.forEach(rig.bridge::eventJournaled);
          regionSideNanos += System.nanoTime() - start;
        });
  }
}
