package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.clawbots.world.SpatialGrid.Hit;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpatialGridTest {

  private final SpatialGrid grid = new SpatialGrid();

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  @Test
  void anEmptyGridFindsNothing() {
    assertThat(grid.size()).isZero();
    assertThat(grid.within(new Vec3(128, 128, 0), 1000)).isEmpty();
    assertThat(grid.nearest(new Vec3(128, 128, 0), 1000, 5, null)).isEmpty();
  }

  @Test
  void putAgentsAreFoundWithTheirPositionAndDistance() {
    grid.put("ada", new Vec3(10, 10, 20));

    assertThat(grid.contains("ada")).isTrue();
    assertThat(grid.positionOf("ada")).isEqualTo(new Vec3(10, 10, 20));
    assertThat(grid.size()).isEqualTo(1);
    assertThat(grid.within(new Vec3(13, 14, 20), 10))
        .containsExactly(new Hit("ada", new Vec3(10, 10, 20), 5.0));
  }

  @Test
  void unknownIdsAreAbsent() {
    assertThat(grid.contains("nobody")).isFalse();
    assertThat(grid.positionOf("nobody")).isNull();
    assertThat(grid.remove("nobody")).isFalse();
  }

  @Test
  void movingWithinACellKeepsOneEntry() {
    grid.put("ada", new Vec3(1, 1, 0));
    grid.put("ada", new Vec3(2, 3, 0));

    assertThat(grid.size()).isEqualTo(1);
    assertThat(grid.positionOf("ada")).isEqualTo(new Vec3(2, 3, 0));
    assertThat(grid.within(new Vec3(2, 3, 0), 0)).extracting(Hit::id).containsExactly("ada");
    assertThat(grid.within(new Vec3(1, 1, 0), 0.5)).isEmpty();
  }

  @Test
  void movingAcrossCellsLeavesNothingBehind() {
    grid.put("ada", new Vec3(1, 1, 0));
    grid.put("ada", new Vec3(200, 150, 0));

    assertThat(grid.size()).isEqualTo(1);
    assertThat(grid.within(new Vec3(1, 1, 0), 20)).isEmpty();
    assertThat(grid.within(new Vec3(200, 150, 0), 1)).extracting(Hit::id).containsExactly("ada");
  }

  @Test
  void removedAgentsAreNotFound() {
    grid.put("ada", new Vec3(5, 5, 0));
    grid.put("bob", new Vec3(6, 5, 0));

    assertThat(grid.remove("ada")).isTrue();

    assertThat(grid.remove("ada")).isFalse();
    assertThat(grid.contains("ada")).isFalse();
    assertThat(grid.positionOf("ada")).isNull();
    assertThat(grid.size()).isEqualTo(1);
    assertThat(ids(grid.within(new Vec3(5, 5, 0), 10))).containsExactly("bob");
  }

  @Test
  void removingFromACrowdedCellKeepsEveryOtherAgentFindable() {
    for (int i = 0; i < 10; i++) {
      grid.put("a" + i, new Vec3(1 + i, 1, 0));
    }

    grid.remove("a0");
    grid.remove("a5");
    grid.remove("a9");
    // Moves and removals of the agents that filled the holes must still reach the right slots.
    grid.put("a8", new Vec3(100, 100, 0));
    grid.remove("a4");

    assertThat(ids(grid.within(new Vec3(0, 1, 0), 15)))
        .containsExactly("a1", "a2", "a3", "a6", "a7");
    assertThat(ids(grid.within(new Vec3(100, 100, 0), 0))).containsExactly("a8");
    assertThat(grid.size()).isEqualTo(6);
  }

  @Test
  void radiusIsInclusive() {
    grid.put("ada", new Vec3(3, 4, 0));

    assertThat(ids(grid.within(Vec3.ZERO, 5))).containsExactly("ada");
    assertThat(grid.within(Vec3.ZERO, Math.nextDown(5.0))).isEmpty();
    assertThat(ids(grid.nearest(Vec3.ZERO, 5, 1, null))).containsExactly("ada");
  }

  @Test
  void zeroRadiusFindsOnlyAgentsExactlyAtTheCentre() {
    grid.put("here", new Vec3(50, 50, 10));
    grid.put("near", new Vec3(50, 50, Math.nextUp(10.0)));

    assertThat(grid.within(new Vec3(50, 50, 10), 0))
        .containsExactly(new Hit("here", new Vec3(50, 50, 10), 0.0));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1, -0.001, Double.NEGATIVE_INFINITY, Double.NaN})
  void negativeOrNaNRadiusFindsNothing(double radius) {
    grid.put("ada", new Vec3(50, 50, 0));
    List<String> visited = new ArrayList<>();

    grid.forEachWithin(new Vec3(50, 50, 0), radius, (id, position, d2) -> visited.add(id));

    assertThat(grid.within(new Vec3(50, 50, 0), radius)).isEmpty();
    assertThat(grid.nearest(new Vec3(50, 50, 0), radius, 3, null)).isEmpty();
    assertThat(visited).isEmpty();
  }

  @Test
  void infiniteRadiusFindsEveryone() {
    grid.put("ada", new Vec3(0, 0, 0));
    grid.put("bob", new Vec3(255, 255, 4096));
    grid.put("cyd", new Vec3(-500, 900, 0));

    assertThat(ids(grid.within(new Vec3(0, 0, 0), Double.POSITIVE_INFINITY)))
        .containsExactly("ada", "cyd", "bob");
  }

  @Test
  void nonFiniteCentresFindNothing() {
    grid.put("ada", new Vec3(0, 0, 0));

    assertThat(grid.within(new Vec3(Double.NaN, 0, 0), 1000)).isEmpty();
    assertThat(grid.within(new Vec3(0, Double.POSITIVE_INFINITY, 0), 1000)).isEmpty();
    assertThat(grid.nearest(new Vec3(0, 0, Double.NaN), 1000, 1, null)).isEmpty();
  }

  @Test
  void withinListsNearestFirst() {
    grid.put("far", new Vec3(40, 0, 0));
    grid.put("near", new Vec3(1, 0, 0));
    grid.put("middle", new Vec3(0, 20, 0));

    assertThat(grid.within(Vec3.ZERO, 100))
        .extracting(Hit::id, Hit::distance)
        .containsExactly(tuple("near", 1.0), tuple("middle", 20.0), tuple("far", 40.0));
  }

  @Test
  void nearestBreaksTiesById() {
    // Four agents on a circle of radius 10 around (100, 100), added in reverse id order.
    grid.put("d", new Vec3(90, 100, 0));
    grid.put("c", new Vec3(100, 90, 0));
    grid.put("b", new Vec3(110, 100, 0));
    grid.put("a", new Vec3(100, 110, 0));

    assertThat(ids(grid.nearest(new Vec3(100, 100, 0), 50, 2, null))).containsExactly("a", "b");
    assertThat(ids(grid.within(new Vec3(100, 100, 0), 10))).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aCrowdOnOneSpotIsOrderedById() {
    List<String> expected = new ArrayList<>();
    for (int i = 99; i >= 0; i--) {
      grid.put(String.format("agent-%02d", i), new Vec3(64, 64, 0));
      expected.add(0, String.format("agent-%02d", i));
    }
    grid.put("nearer", new Vec3(60, 61, 0));

    List<String> found = ids(grid.within(new Vec3(60, 64, 0), 10));

    assertThat(found.get(0)).isEqualTo("nearer");
    assertThat(found.subList(1, found.size())).isEqualTo(expected);
    assertThat(ids(grid.nearest(new Vec3(60, 64, 0), 10, 3, "nearer")))
        .containsExactly("agent-00", "agent-01", "agent-02");
  }

  @Test
  void nearestKeepsTheKNearestInOrder() {
    for (int i = 0; i < 100; i++) {
      grid.put("agent-" + i, new Vec3(i * 2.5, 128, 0));
    }

    List<Hit> hits = grid.nearest(new Vec3(101, 128, 0), 256, 4, null);

    // Agents 40 and 41 sit at 100 and 102.5; 39 and 42 at 97.5 and 105.
    assertThat(hits)
        .extracting(Hit::id)
        .containsExactly("agent-40", "agent-41", "agent-39", "agent-42");
    assertThat(hits).extracting(Hit::distance).containsExactly(1.0, 1.5, 3.5, 4.0);
  }

  @Test
  void nearestLeavesOutTheExcludedId() {
    grid.put("me", new Vec3(10, 10, 0));
    grid.put("you", new Vec3(12, 10, 0));
    grid.put("them", new Vec3(15, 10, 0));

    assertThat(ids(grid.nearest(new Vec3(10, 10, 0), 20, 1, "me"))).containsExactly("you");
    assertThat(ids(grid.nearest(new Vec3(10, 10, 0), 20, 5, "me"))).containsExactly("you", "them");
    assertThat(ids(grid.nearest(new Vec3(10, 10, 0), 20, 5, null)))
        .containsExactly("me", "you", "them");
  }

  @Test
  void nearestRespectsTheRadius() {
    grid.put("near", new Vec3(10, 10, 0));
    grid.put("far", new Vec3(60, 10, 0));

    assertThat(ids(grid.nearest(new Vec3(10, 10, 0), 49.9, 5, null))).containsExactly("near");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void nearestWithNoRoomFindsNothing(int k) {
    grid.put("ada", new Vec3(10, 10, 0));

    assertThat(grid.nearest(new Vec3(10, 10, 0), 100, k, null)).isEmpty();
  }

  @Test
  void nearestWithAHugeKReturnsEveryoneWithinRange() {
    grid.put("ada", new Vec3(10, 10, 0));
    grid.put("bob", new Vec3(20, 10, 0));

    assertThat(ids(grid.nearest(new Vec3(0, 10, 0), 100, Integer.MAX_VALUE, null)))
        .containsExactly("ada", "bob");
  }

  @Test
  void heightCountsInDistance() {
    grid.put("flyer", new Vec3(128, 128, 30));

    assertThat(grid.within(new Vec3(128, 128, 0), 29.9)).isEmpty();
    assertThat(grid.within(new Vec3(128, 128, 0), 30))
        .containsExactly(new Hit("flyer", new Vec3(128, 128, 30), 30.0));
    assertThat(grid.within(new Vec3(128 + 40, 128, 0), 50))
        .extracting(Hit::distance)
        .containsExactly(50.0);
  }

  @Test
  void outOfBoundsPositionsAreStillFound() {
    grid.put("west", new Vec3(-3, 100, 0));
    grid.put("northEast", new Vec3(259, 262, 0));
    grid.put("farAway", new Vec3(-1000, -1000, 0));

    assertThat(grid.within(new Vec3(0, 100, 0), 3))
        .containsExactly(new Hit("west", new Vec3(-3, 100, 0), 3.0));
    assertThat(grid.within(new Vec3(0, 100, 0), 2.9)).isEmpty();
    assertThat(grid.within(new Vec3(255, 255, 0), 8)).isEmpty();
    assertThat(grid.within(new Vec3(255, 259, 0), 5))
        .containsExactly(new Hit("northEast", new Vec3(259, 262, 0), 5.0));
    // The far agent is indexed in a corner cell but is as far as it really is.
    assertThat(grid.within(Vec3.ZERO, 1414)).extracting(Hit::id).doesNotContain("farAway");
    assertThat(grid.within(Vec3.ZERO, 1415)).extracting(Hit::id).contains("farAway");
  }

  @Test
  void centresOutsideTheRegionStillFindAgentsInside() {
    grid.put("edge", new Vec3(0, 50, 0));

    assertThat(ids(grid.within(new Vec3(-10, 50, 0), 10))).containsExactly("edge");
    assertThat(grid.within(new Vec3(-10, 50, 0), 9.99)).isEmpty();
  }

  @Test
  void aCentreBeyondTheEdgeFindsAgentsBeyondItToo() {
    // Both 20 m south of the region: the edge row must not be treated as ending at y = 0.
    grid.put("stray", new Vec3(33, -20, 0));

    assertThat(ids(grid.within(new Vec3(0, -20, 0), 33))).containsExactly("stray");
    assertThat(ids(grid.nearest(new Vec3(0, -20, 0), 33, 1, null))).containsExactly("stray");
  }

  @Test
  void aCentreBeyondTheFarEdgeFindsAgentsBeyondItToo() {
    grid.put("stray", new Vec3(33, 276, 0));

    assertThat(ids(grid.within(new Vec3(0, 276, 0), 33))).containsExactly("stray");
  }

  @Test
  void queriesReachAcrossManyCells() {
    SpatialGrid fine = new SpatialGrid(2);
    fine.put("ada", new Vec3(0.5, 0.5, 0));
    fine.put("bob", new Vec3(255.5, 255.5, 0));

    assertThat(ids(fine.within(new Vec3(128, 128, 0), 181))).containsExactly("ada", "bob");
    assertThat(ids(fine.nearest(new Vec3(1, 1, 0), 400, 2, null))).containsExactly("ada", "bob");
  }

  @Test
  void forEachWithinVisitsEveryHitOnceWithItsSquaredDistance() {
    grid.put("ada", new Vec3(10, 10, 0));
    grid.put("bob", new Vec3(13, 14, 0));
    grid.put("cyd", new Vec3(40, 10, 0));
    Map<String, Double> visited = new HashMap<>();

    grid.forEachWithin(
        new Vec3(10, 10, 0),
        5,
        (id, position, distanceSquared) -> {
          assertThat(position).isEqualTo(grid.positionOf(id));
          assertThat(visited.put(id, distanceSquared)).isNull();
        });

    assertThat(visited).containsOnly(Map.entry("ada", 0.0), Map.entry("bob", 25.0));
  }

  @Test
  void aVisitorThatRemovesEntriesIsStopped() {
    grid.put("ada", new Vec3(10, 10, 0));
    grid.put("bob", new Vec3(11, 10, 0));

    assertThatThrownBy(
            () -> grid.forEachWithin(new Vec3(10, 10, 0), 5, (id, p, d2) -> grid.remove(id)))
        .isInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void aVisitorMayMoveAnEntryWithinItsCell() {
    grid.put("ada", new Vec3(10, 10, 0));
    List<String> visited = new ArrayList<>();

    grid.forEachWithin(
        new Vec3(10, 10, 0),
        5,
        (id, p, d2) -> {
          visited.add(id);
          grid.put(id, p.withZ(1));
        });

    assertThat(visited).containsExactly("ada");
    assertThat(grid.positionOf("ada")).isEqualTo(new Vec3(10, 10, 1));
  }

  @Test
  void resultsAreFreshListsTheCallerOwns() {
    grid.put("ada", new Vec3(10, 10, 0));
    List<Hit> first = grid.within(new Vec3(10, 10, 0), 1);

    first.clear();

    assertThat(grid.within(new Vec3(10, 10, 0), 1)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {0, -0.0, -16, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void cellSizeMustBeFiniteAndPositive(double cellSize) {
    assertThatThrownBy(() -> new SpatialGrid(cellSize))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cell size");
  }

  @Test
  void tinyCellsAreRaisedToOneMetre() {
    SpatialGrid tiny = new SpatialGrid(0.001);
    tiny.put("ada", new Vec3(0.5, 0.5, 0));
    tiny.put("bob", new Vec3(255.9, 255.9, 0));

    assertThat(tiny.cellSize()).isEqualTo(1.0);
    assertThat(ids(tiny.within(new Vec3(0, 0, 0), 400))).containsExactly("ada", "bob");
  }

  @Test
  void cellsLargerThanTheRegionStillWork() {
    SpatialGrid coarse = new SpatialGrid(1000);
    coarse.put("ada", new Vec3(3, 4, 0));
    coarse.put("bob", new Vec3(250, 250, 0));

    assertThat(coarse.cellSize()).isEqualTo(1000.0);
    assertThat(ids(coarse.within(Vec3.ZERO, 5))).containsExactly("ada");
  }

  @Test
  void defaultCellSizeIsSixteenMetres() {
    assertThat(grid.cellSize()).isEqualTo(SpatialGrid.DEFAULT_CELL_SIZE).isEqualTo(16.0);
  }

  @Test
  void putRejectsWhatNoQueryCouldFind() {
    assertThatThrownBy(() -> grid.put(null, Vec3.ZERO)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> grid.put("ada", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> grid.put("ada", new Vec3(Double.NaN, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> grid.put("ada", new Vec3(0, 0, Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(grid.size()).isZero();
  }

  @Test
  void aRejectedMoveLeavesTheAgentWhereItWas() {
    grid.put("ada", new Vec3(10, 10, 0));

    assertThatThrownBy(() -> grid.put("ada", new Vec3(Double.NaN, 10, 0)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(grid.positionOf("ada")).isEqualTo(new Vec3(10, 10, 0));
    assertThat(grid.within(new Vec3(10, 10, 0), 0)).hasSize(1);
  }

  @Test
  void distancesAreTrueEvenForFractionalPositions() {
    grid.put("ada", new Vec3(0.1, 0.2, 0.3));

    assertThat(grid.within(Vec3.ZERO, 1).get(0).distance())
        .isCloseTo(Math.sqrt(0.01 + 0.04 + 0.09), within(1e-15));
  }
}
