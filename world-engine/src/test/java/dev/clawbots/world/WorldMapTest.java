package dev.clawbots.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorldMapTest {

  private static WorldMap.Placement at(String id, int x, int y) {
    return new WorldMap.Placement(id, id, new GridCoord(x, y));
  }

  @Test
  void regionsSharingAnEdgeAreNeighboursAndDiagonalsAreNot() {
    WorldMap map = new WorldMap(List.of(at("main", 0, 0), at("east", 1, 0), at("ne", 1, 1)));

    assertThat(map.spec("main").orElseThrow().neighbours()).containsExactly(Edge.EAST);
    assertThat(map.spec("east").orElseThrow().neighbours())
        .containsExactlyInAnyOrder(Edge.WEST, Edge.NORTH);
    assertThat(map.neighbour("main", Edge.EAST)).contains("east");
    assertThat(map.neighbour("east", Edge.NORTH)).contains("ne");
    assertThat(map.neighbour("main", Edge.NORTH)).isEmpty();
    assertThat(map.neighbour("nowhere", Edge.NORTH)).isEmpty();
    assertThat(map.regions()).extracting(RegionSpec::id).containsExactly("main", "east", "ne");
  }

  @Test
  void badConfigurationsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new WorldMap(List.of(at("a", 0, 0), at("b", 0, 0))))
        .hasMessageContaining("share grid cell");
    assertThatThrownBy(() -> new WorldMap(List.of(at("a", 0, 0), at("a", 1, 0))))
        .hasMessageContaining("configured twice");
    assertThatThrownBy(() -> new WorldMap(List.of(at("Main", 0, 0))))
        .hasMessageContaining("[a-z0-9-]");
  }
}
