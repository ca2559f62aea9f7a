package dev.clawbots.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code kubernetes.conf}, which deploy/k8s selects with {@code -Dconfig.resource}, loads: the
 * whole server configuration, with cluster bootstrap through the Kubernetes API in place of seed
 * nodes, and the discovery it names is on the classpath.
 */
class KubernetesConfigTest {

  private static final String BOOTSTRAP = "pekko.management.cluster.bootstrap.";

  private final Config kubernetes = ConfigFactory.load("kubernetes.conf");

  @Test
  void bootstrapFindsThePodsThroughTheKubernetesApi() throws Exception {
    assertThat(kubernetes.getBoolean("clawbots.management.enabled")).isTrue();
    assertThat(kubernetes.getBoolean("clawbots.management.bootstrap")).isTrue();
    assertThat(kubernetes.getString(BOOTSTRAP + "contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
    assertThat(kubernetes.getString(BOOTSTRAP + "contact-point-discovery.service-name"))
        .isEqualTo("clawbots");
    assertThat(kubernetes.getString(BOOTSTRAP + "contact-point-discovery.port-name"))
        .isEqualTo("management");
    assertThat(kubernetes.getInt(BOOTSTRAP + "contact-point-discovery.required-contact-point-nr"))
        .isEqualTo(2);
    assertThat(kubernetes.getString("pekko.discovery.kubernetes-api.pod-label-selector"))
        .isEqualTo("app=%s");
    assertThat(kubernetes.getInt("pekko.management.http.port")).isEqualTo(8558);
    // The discovery implementation the configuration names is there to be loaded.
    assertThat(Class.forName(kubernetes.getString("pekko.discovery.kubernetes-api.class")))
        .isNotNull();
  }

  @Test
  void noSeedNodesAndTheRestOfTheServerConfigurationAsUsual() {
    assertThat(kubernetes.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    ClusterFormation.check(kubernetes);
    assertThat(kubernetes.getString("pekko.cluster.split-brain-resolver.active-strategy"))
        .isEqualTo("keep-majority");
    assertThat(kubernetes.getBoolean("pekko.cluster.sharding.remember-entities")).isTrue();
    assertThat(kubernetes.getInt("clawbots.http.port")).isEqualTo(8080);
    assertThat(kubernetes.getString("pekko.management.http.hostname"))
        .isEqualTo(kubernetes.getString("pekko.remote.artery.canonical.hostname"));
  }

  @Test
  void theDefaultJoinsThroughSeedNodesWithoutManagement() {
    Config defaults = ConfigFactory.load();
    assertThat(defaults.getBoolean("clawbots.management.enabled")).isFalse();
    assertThat(defaults.getBoolean("clawbots.management.bootstrap")).isFalse();
    assertThat(defaults.getStringList("pekko.cluster.seed-nodes")).isNotEmpty();
  }

  @Test
  void bootstrapAndSeedNodesTogetherAreRefused() {
    Config both =
        ConfigFactory.parseString("clawbots.management.bootstrap = on")
            .withFallback(ConfigFactory.load());
    assertThatThrownBy(() -> ClusterFormation.check(both))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed-nodes");
  }
}
