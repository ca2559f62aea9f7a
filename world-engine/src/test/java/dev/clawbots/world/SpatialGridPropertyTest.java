package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.SpatialGrid.Hit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The grid must give exactly the answers of a brute-force scan over every agent, whatever the cell
 * size and whatever sequence of puts, moves and removals built the world.
 */
class SpatialGridPropertyTest {

  private static final Comparator<Hit> NEAREST_FIRST =
      Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id);

  // Points 10 m from the ring's centre, spread over several cells whatever the cell size: agents
  // put there tie on distance, so the order by id is exercised across cells.
  private static final Vec3 RING_CENTRE = new Vec3(128, 128, 0);
  private static final Vec3[] RING = {
    new Vec3(138, 128, 0),
    new Vec3(128, 138, 0),
    new Vec3(118, 128, 0),
    new Vec3(128, 118, 0),
    new Vec3(134, 136, 0),
    new Vec3(122, 120, 0),
    new Vec3(128, 128, 10),
  };

  sealed interface Action permits Put, Remove, Query {}

  record Put(String id, Vec3 position) implements Action {}

  record Remove(String id) implements Action {}

  record Query(Vec3 center, double radius, int k, String excludeId) implements Action {}

  @Property
  void aFewAgentsMovingAboutAnswerLikeBruteForce(
      @ForAll("cellSizes") double cellSize, @ForAll("aFewAgents") List<Action> actions) {
    checkAgainstBruteForce(cellSize, actions);
    Statistics.label("within").coverage(c -> c.check("found").percentage(p -> p > 12));
    Statistics.label("nearest").coverage(c -> c.check("cut short").percentage(p -> p > 4));
  }

  @Property(tries = 150)
  void aCrowdAnswersLikeBruteForce(
      @ForAll("cellSizes") double cellSize, @ForAll("aCrowd") List<Action> actions) {
    checkAgainstBruteForce(cellSize, actions);
    Statistics.label("within").coverage(c -> c.check("found").percentage(p -> p > 20));
    Statistics.label("ties").coverage(c -> c.check("tie").percentage(p -> p > 6));
    Statistics.label("nearest").coverage(c -> c.check("cut short").percentage(p -> p > 10));
  }

  @Property(tries = 200)
  void agentsAroundTheBordersAnswerLikeBruteForce(
      @ForAll("cellSizes") double cellSize, @ForAll("aroundTheBorders") List<Action> actions) {
    checkAgainstBruteForce(cellSize, actions);
    Statistics.label("within").coverage(c -> c.check("found").percentage(p -> p > 20));
  }

  private static void checkAgainstBruteForce(double cellSize, List<Action> actions) {
    SpatialGrid grid = new SpatialGrid(cellSize);
    Map<String, Vec3> world = new HashMap<>();
    for (Action action : actions) {
      if (action instanceof Put put) {
        grid.put(put.id(), put.position());
        world.put(put.id(), put.position());
      } else if (action instanceof Remove remove) {
        assertThat(grid.remove(remove.id())).isEqualTo(world.remove(remove.id()) != null);
        assertThat(grid.contains(remove.id())).isFalse();
      } else if (action instanceof Query query) {
        checkQuery(grid, world, query);
      }
      assertThat(grid.size()).isEqualTo(world.size());
    }
    world.forEach((id, position) -> assertThat(grid.positionOf(id)).isEqualTo(position));
  }

  private static void checkQuery(SpatialGrid grid, Map<String, Vec3> world, Query query) {
    List<Hit> expectedWithin = bruteWithin(world, query.center(), query.radius());
    List<Hit> expectedNearest =
        expectedWithin.stream()
            .filter(hit -> !hit.id().equals(query.excludeId()))
            .limit(Math.max(query.k(), 0))
            .toList();

    assertThat(grid.within(query.center(), query.radius())).isEqualTo(expectedWithin);
    assertThat(grid.nearest(query.center(), query.radius(), query.k(), query.excludeId()))
        .isEqualTo(expectedNearest);

    Map<String, Double> visited = new TreeMap<>();
    grid.forEachWithin(
        query.center(),
        query.radius(),
        (id, position, distanceSquared) -> {
          assertThat(position).isEqualTo(world.get(id));
          assertThat(visited.put(id, distanceSquared)).as("visited twice: %s", id).isNull();
        });
    Map<String, Double> expectedVisits = new TreeMap<>();
    expectedWithin.forEach(
        hit -> expectedVisits.put(hit.id(), hit.position().distanceSquaredTo(query.center())));
    assertThat(visited).isEqualTo(expectedVisits);

    // Without these the properties could pass by asking only questions with trivial answers.
    Statistics.label("within").collect(expectedWithin.isEmpty() ? "empty" : "found");
    Statistics.label("ties").collect(hasTies(expectedWithin) ? "tie" : "none");
    Statistics.label("nearest")
        .collect(expectedNearest.size() < expectedWithin.size() ? "cut short" : "all");
  }

  private static boolean hasTies(List<Hit> hits) {
    for (int i = 1; i < hits.size(); i++) {
      if (hits.get(i).distance() == hits.get(i - 1).distance()) {
        return true;
      }
    }
    return false;
  }

  /** The specification, literally: every agent within the radius, nearest first, ties by id. */
  private static List<Hit> bruteWithin(Map<String, Vec3> world, Vec3 center, double radius) {
    if (!(radius >= 0)) {
      return List.of();
    }
    double radiusSquared = radius * radius;
    return world.entrySet().stream()
        .filter(agent -> agent.getValue().distanceSquaredTo(center) <= radiusSquared)
        .map(
            agent -> new Hit(agent.getKey(), agent.getValue(), agent.getValue().distanceTo(center)))
        .sorted(NEAREST_FIRST)
        .toList();
  }

  @Provide
  Arbitrary<Double> cellSizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            1, Arbitraries.of(0.25, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 300.0)),
        Tuple.of(3, Arbitraries.doubles().between(1, 300).ofScale(4)));
  }

  @Provide
  Arbitrary<List<Action>> aFewAgents() {
    // A small pool of ids, so that most puts are moves and most removals hit.
    return actions(12, 80, positions(), centres(), radii());
  }

  @Provide
  Arbitrary<List<Action>> aCrowd() {
    return actions(400, 700, positions(), centres(), radii());
  }

  /** Agents and centres on both sides of the region's borders, with short radii. */
  @Provide
  Arbitrary<List<Action>> aroundTheBorders() {
    Arbitrary<Double> nearABorder =
        Arbitraries.oneOf(
            Arbitraries.doubles().between(-40, 8).ofScale(6),
            Arbitraries.doubles().between(248, 296).ofScale(6));
    Arbitrary<Vec3> positions =
        Arbitraries.oneOf(
            Combinators.combine(nearABorder, coordinates(), heights()).as(Vec3::new),
            Combinators.combine(coordinates(), nearABorder, heights()).as(Vec3::new));
    return actions(200, 400, positions, positions, Arbitraries.doubles().between(0, 48));
  }

  private static Arbitrary<List<Action>> actions(
      int ids,
      int maxActions,
      Arbitrary<Vec3> positions,
      Arbitrary<Vec3> centres,
      Arbitrary<Double> radii) {
    Arbitrary<String> id = Arbitraries.integers().between(0, ids - 1).map(i -> "agent-" + i);
    Arbitrary<Action> put = Combinators.combine(id, positions).as(Put::new);
    Arbitrary<Action> remove = id.map(Remove::new);
    Arbitrary<Action> query =
        Combinators.combine(
                centres,
                radii,
                Arbitraries.integers().between(-1, 20),
                Arbitraries.oneOf(id, Arbitraries.just(null)))
            .as(Query::new);
    return Arbitraries.frequencyOf(Tuple.of(6, put), Tuple.of(2, remove), Tuple.of(3, query))
        .list()
        .ofMinSize(1)
        .ofMaxSize(maxActions);
  }

  /** Mostly on the ground, sometimes slightly outside the region or high up to 4096 m. */
  private static Arbitrary<Vec3> positions() {
    return Arbitraries.frequencyOf(
        Tuple.of(9, Combinators.combine(coordinates(), coordinates(), heights()).as(Vec3::new)),
        Tuple.of(1, Arbitraries.of(RING)));
  }

  private static Arbitrary<Vec3> centres() {
    return Arbitraries.frequencyOf(
        Tuple.of(9, positions()), Tuple.of(1, Arbitraries.just(RING_CENTRE)));
  }

  private static Arbitrary<Double> coordinates() {
    return Arbitraries.frequencyOf(
        // Whole metres put agents on cell borders and make equal distances, so ties happen.
        Tuple.of(3, Arbitraries.integers().between(-8, 264).map(Integer::doubleValue)),
        Tuple.of(5, Arbitraries.doubles().between(-8, 264).ofScale(9)),
        // Just across a border, where an agent waits to be handed over.
        Tuple.of(
            1,
            Arbitraries.oneOf(
                Arbitraries.doubles().between(-32, 0).ofScale(6),
                Arbitraries.doubles().between(RegionBounds.SIZE, 288).ofScale(6))),
        Tuple.of(
            1, Arbitraries.of(0.0, -Double.MIN_VALUE, RegionBounds.MAX_GROUND, 256.0, -0.0, 16.0)));
  }

  private static Arbitrary<Double> heights() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(0, 40).map(Integer::doubleValue)),
        Tuple.of(2, Arbitraries.doubles().between(0, 60).ofScale(6)),
        Tuple.of(1, Arbitraries.doubles().between(0, RegionBounds.MAX_Z).ofScale(3)));
  }

  private static Arbitrary<Double> radii() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(0, 400).map(Integer::doubleValue)),
        Tuple.of(5, Arbitraries.doubles().between(0, 400).ofScale(6)),
        Tuple.of(1, Arbitraries.of(0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY)));
  }
}
