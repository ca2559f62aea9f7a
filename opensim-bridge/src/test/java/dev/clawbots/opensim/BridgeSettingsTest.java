package dev.clawbots.opensim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

  private static BridgeSettings read(String hocon) {
    return BridgeSettings.from(
        ConfigFactory.parseString(hocon)
            .withFallback(ConfigFactory.parseResources("opensim.conf"))
            .resolve());
  }

  @Test
  void noUrlMeansNoBridge() {
    BridgeSettings s = read("");
    assertThat(s.url()).isEmpty();
    assertThat(s.npcCap()).isEqualTo(40);
    assertThat(s.chatPerSecond()).isEqualTo(10);
    assertThat(s.batchBytes()).isEqualTo(2048);
    assertThat(s.describe()).isEqualTo("no OpenSim bridge");
  }

  @Test
  void regionsComeFromTheObjectAndTheList() {
    BridgeSettings s =
        read(
            "clawbots.opensim { url = \"http://grid:9000/\", password = secret,"
                + " regions { main = \"ClawBots Main\" },"
                + " regions-list = \"harbor=ClawBots Harbor, main=Main Two\" }");
    assertThat(s.url()).contains(URI.create("http://grid:9000/"));
    assertThat(s.regions()).isEqualTo(Map.of("main", "Main Two", "harbor", "ClawBots Harbor"));
    assertThat(s.describe()).doesNotContain("secret");
  }

  @Test
  void aMalformedRegionListSaysWhatIsWrong() {
    assertThatThrownBy(() -> read("clawbots.opensim.regions-list = \"main\""))
        .hasMessageContaining("regions-list")
        .hasMessageContaining("main");
  }
}
