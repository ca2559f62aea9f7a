package dev.clawbots.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code deploy/} that cannot run here (no Docker engine, no Kubernetes) are held
 * to what they must say: every YAML parses; compose has the services, wiring and ports of a
 * three-node cluster; every Kubernetes object has its required fields, and the objects refer to
 * each other correctly; the dashboard and the alerts use only metrics the server exports.
 */
class DeployFilesTest {

  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  private static final Path K8S = DEPLOY.resolve("k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC = Pattern.compile("\\bclawbots_[a-z_]+");

  @Test
  void everyYamlFileParses() throws IOException {
    List<Path> files = yamlFiles(DEPLOY);
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      assertThat(documents(file)).as("%s", file).isNotEmpty().doesNotContainNull();
    }
  }

  @Test
  void composeRunsPostgresRedisThreeClusteredNodesPrometheusAndGrafana() throws IOException {
    JsonNode services = documents(DEPLOY.resolve("docker-compose.yml")).get(0).get("services");
    assertThat(fieldNames(services))
        .contains("postgres", "redis", "node1", "node2", "node3", "prometheus", "grafana");
    Set<String> hostPorts = new HashSet<>();
    String seeds = null;
    for (String name : List.of("node1", "node2", "node3")) {
      JsonNode node = services.get(name);
      JsonNode env = node.get("environment");
      assertThat(env.get("DATABASE_URL").asText()).startsWith("jdbc:postgresql://postgres:5432/");
      assertThat(env.get("REDIS_URL").asText()).isEqualTo("redis://redis:6379");
      assertThat(env.get("JWT_SECRET").asText()).contains("JWT_SECRET");
      assertThat(env.get("CLAWBOTS_REMOTE_HOST").asText()).isEqualTo(name);
      String javaOptions = env.get("JAVA_OPTS").asText();
      for (String seed : List.of("node1", "node2", "node3")) {
        assertThat(javaOptions).contains("pekko://clawbots@" + seed + ":25520");
      }
      if (seeds != null) {
        assertThat(javaOptions).as("every node has the same seed nodes").isEqualTo(seeds);
      }
      seeds = javaOptions;
      assertThat(node.get("image").asText()).isEqualTo("clawbots-world:local");
      for (String service : List.of("postgres", "redis")) {
        assertThat(node.get("depends_on").get(service).get("condition").asText())
            .isEqualTo("service_healthy");
        assertThat(services.get(service).has("healthcheck")).isTrue();
      }
      String port = node.get("ports").get(0).asText();
      assertThat(port).endsWith(":8080");
      hostPorts.add(port);
    }
    assertThat(hostPorts).as("a host port per node").hasSize(3);
    assertThat(services.get("node1").get("build").get("dockerfile").asText())
        .isEqualTo("deploy/Dockerfile");
    mountedFilesExist(services.get("prometheus"));
    mountedFilesExist(services.get("grafana"));

    JsonNode scrape =
        documents(DEPLOY.resolve("prometheus/prometheus.yml")).get(0).get("scrape_configs").get(0);
    assertThat(scrape.get("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(texts(scrape.get("static_configs").get(0).get("targets")))
        .containsExactlyInAnyOrder("node1:8080", "node2:8080", "node3:8080");
  }

  @Test
  void everyKubernetesObjectHasItsRequiredFieldsAndEveryResourceIsListed() throws IOException {
    JsonNode kustomization = documents(K8S.resolve("kustomization.yaml")).get(0);
    Set<String> listed = new TreeSet<>(texts(kustomization.get("resources")));
    Set<String> present = new TreeSet<>();
    try (Stream<Path> files = Files.list(K8S)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(present::add);
    }
    assertThat(listed).isEqualTo(present);
    List<JsonNode> objects = new ArrayList<>();
    for (Path file : yamlFiles(K8S)) {
      if (!file.getFileName().toString().equals("kustomization.yaml")) {
        objects.addAll(documents(file));
      }
    }
    for (JsonNode object : objects) {
      assertThat(object.path("apiVersion").asText()).as("apiVersion of %s", object).isNotBlank();
      assertThat(object.path("kind").asText()).as("kind of %s", object).isNotBlank();
      assertThat(object.path("metadata").path("name").asText())
          .as("name of %s", object)
          .isNotBlank();
    }
    assertThat(kinds(objects))
        .contains(
            "Namespace",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "ConfigMap",
            "Secret",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "PrometheusRule");
  }

  @Test
  void theDeploymentBootstrapsItsClusterWithProbesResourcesAndItsSecrets() throws IOException {
    JsonNode deployment = single("deployment.yaml");
    JsonNode pod = deployment.get("spec").get("template");
    Map<String, String> podLabels = labels(pod.get("metadata").get("labels"));
    assertThat(podLabels).containsEntry("app", "clawbots");
    assertThat(labels(deployment.get("spec").get("selector").get("matchLabels")))
        .isEqualTo(podLabels);
    JsonNode container = pod.get("spec").get("containers").get(0);

    Map<String, Integer> ports = new HashMap<>();
    container
        .get("ports")
        .forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
    assertThat(ports).containsEntry("http", 8080).containsEntry("remoting", 25520);
    // Cluster bootstrap asks the port named in kubernetes.conf (port-name = "management").
    assertThat(ports).containsEntry("management", 8558);

    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    for (String kind : List.of("requests", "limits")) {
      assertThat(container.at("/resources/" + kind + "/cpu").asText()).isNotBlank();
      assertThat(container.at("/resources/" + kind + "/memory").asText()).isNotBlank();
    }

    // Every key the container reads from the Secret and the ConfigMap is in them.
    JsonNode secret = single("secret.yaml");
    JsonNode config = single("configmap.yaml");
    Set<String> fromSecret = new TreeSet<>();
    for (JsonNode env : container.get("env")) {
      JsonNode secretRef = env.at("/valueFrom/secretKeyRef");
      JsonNode configRef = env.at("/valueFrom/configMapKeyRef");
      if (!secretRef.isMissingNode()) {
        assertThat(secretRef.get("name").asText()).isEqualTo(name(secret));
        assertThat(secret.get("stringData").has(secretRef.get("key").asText()))
            .as("secret key %s", secretRef.get("key"))
            .isTrue();
        fromSecret.add(env.get("name").asText());
      } else if (!configRef.isMissingNode()) {
        assertThat(configRef.get("name").asText()).isEqualTo(name(config));
        assertThat(config.get("data").has(configRef.get("key").asText()))
            .as("config key %s", configRef.get("key"))
            .isTrue();
      }
    }
    assertThat(fromSecret).contains("JWT_SECRET", "DATABASE_URL", "DATABASE_PASSWORD");
    assertThat(envNames(container)).contains("CLAWBOTS_REMOTE_HOST");
    assertThat(config.get("data").get("JAVA_OPTS").asText())
        .contains("-Dconfig.resource=kubernetes.conf");
    // Discovery looks for the pods labelled app=<service name>.
    assertThat(config.get("data").get("CLAWBOTS_SERVICE_NAME").asText())
        .isEqualTo(podLabels.get("app"));

    // The pods may list pods, through a Role bound to their service account.
    List<JsonNode> rbac = documents(K8S.resolve("rbac.yaml"));
    String account = pod.get("spec").get("serviceAccountName").asText();
    JsonNode role = ofKind(rbac, "Role");
    JsonNode binding = ofKind(rbac, "RoleBinding");
    assertThat(name(ofKind(rbac, "ServiceAccount"))).isEqualTo(account);
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo(name(role));
    assertThat(texts(role.at("/rules/0/resources"))).contains("pods");
    assertThat(texts(role.at("/rules/0/verbs"))).contains("get", "watch", "list");
  }

  @Test
  void servicesBudgetAndAutoscalerPointAtThePods() throws IOException {
    JsonNode deployment = single("deployment.yaml");
    Map<String, String> podLabels = labels(deployment.at("/spec/template/metadata/labels"));

    JsonNode http = single("service.yaml");
    assertThat(labels(http.at("/spec/selector"))).isEqualTo(podLabels);
    assertThat(http.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");

    JsonNode management = single("service-management.yaml");
    assertThat(management.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(labels(management.at("/spec/selector"))).isEqualTo(podLabels);
    assertThat(texts(management.at("/spec/ports"), "targetPort")).contains("management");

    JsonNode budget = single("pdb.yaml");
    assertThat(budget.get("apiVersion").asText()).isEqualTo("policy/v1");
    assertThat(labels(budget.at("/spec/selector/matchLabels"))).isEqualTo(podLabels);

    JsonNode autoscaler = single("hpa.yaml");
    assertThat(autoscaler.get("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(autoscaler.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(autoscaler.at("/spec/scaleTargetRef/name").asText()).isEqualTo(name(deployment));
    assertThat(autoscaler.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
    assertThat(autoscaler.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theDashboardShowsTheKeyMetricsByTheirExportedNames() throws IOException {
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/dashboards/clawbots.json").toFile());
    Set<String> exported = exportedMetrics();
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      titles.add(panel.get("title").asText());
      assertThat(panel.at("/datasource/uid").asText()).isEqualTo("prometheus");
      String expr = panel.at("/targets/0/expr").asText();
      assertThat(metricsIn(expr)).as("metrics of %s", panel.get("title")).isNotEmpty();
      assertThat(exported).as("%s uses exported metrics", expr).containsAll(metricsIn(expr));
    }
    assertThat(titles)
        .contains(
            "Agents online per region",
            "Events per second",
            "API latency p99",
            "WebSocket connections",
            "Errors per second",
            "Rate limits hit per second",
            "Tick duration p99");
    JsonNode datasource =
        documents(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")).get(0);
    assertThat(datasource.at("/datasources/0/uid").asText()).isEqualTo("prometheus");
  }

  @Test
  void theAlertsWatchErrorsLatencyAndDatabaseConnectionsAlikeForComposeAndKubernetes()
      throws IOException {
    JsonNode rules = documents(DEPLOY.resolve("prometheus/alerts.yml")).get(0).get("groups");
    Map<String, String> alerts = new HashMap<>();
    for (JsonNode group : rules) {
      for (JsonNode rule : group.get("rules")) {
        alerts.put(rule.get("alert").asText(), rule.get("expr").asText());
      }
    }
    assertThat(alerts)
        .containsOnlyKeys(
            "ClawbotsHighErrorRate", "ClawbotsApiLatencyP99High", "ClawbotsDatabaseConnectionsLow");
    assertThat(alerts.get("ClawbotsApiLatencyP99High")).contains("0.99").contains("> 1");
    Set<String> exported = exportedMetrics();
    alerts.values().forEach(expr -> assertThat(exported).containsAll(metricsIn(expr)));

    JsonNode operatorRule = documents(K8S.resolve("monitoring/prometheus-rule.yaml")).get(0);
    assertThat(operatorRule.get("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(operatorRule.at("/spec/groups")).isEqualTo(rules);
  }

  @Test
  void theImageIsMultiStageNonRootWithAHealthCheckOnLiveness() throws IOException {
    List<String> lines = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).contains("AS build");
    assertThat(from.get(1)).contains("17-jre");
    String user =
        lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
    String dockerfile = String.join("\n", lines);
    assertThat(dockerfile)
        .contains("HEALTHCHECK")
        .contains("/health/live")
        .contains("MaxRAMPercentage")
        .contains("EXPOSE 8080 25520 8558")
        .contains("exec java");
    assertThat(Files.isExecutable(DEPLOY.resolve("local-cluster.sh"))).isTrue();
  }

  // --- reading ----------------------------------------------------------------------------------

  private static List<Path> yamlFiles(Path under) throws IOException {
    try (Stream<Path> files = Files.walk(under)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll();
    }
  }

  private static JsonNode single(String file) throws IOException {
    List<JsonNode> docs = documents(K8S.resolve(file));
    assertThat(docs).as(file).hasSize(1);
    return docs.get(0);
  }

  private static JsonNode ofKind(List<JsonNode> objects, String kind) {
    return objects.stream()
        .filter(o -> o.get("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static List<String> kinds(List<JsonNode> objects) {
    return objects.stream().map(o -> o.get("kind").asText()).toList();
  }

  private static String name(JsonNode object) {
    return object.get("metadata").get("name").asText();
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new HashMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static Set<String> envNames(JsonNode container) {
    Set<String> names = new TreeSet<>();
    container.get("env").forEach(e -> names.add(e.get("name").asText()));
    return names;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.get(field).asText()));
    return texts;
  }

  /** Host paths of a compose service's bind mounts (relative to deploy/) exist. */
  private static void mountedFilesExist(JsonNode service) {
    for (JsonNode volume : service.get("volumes")) {
      String host = volume.asText().split(":")[0];
      assertThat(DEPLOY.resolve(host)).as("mounted %s", host).exists();
    }
  }

  /**
   * The metric names docs/metrics.md lists, as Prometheus sees them: histograms also as their
   * {@code _bucket}, {@code _count} and {@code _sum} series.
   */
  private static Set<String> exportedMetrics() throws IOException {
    String doc = Files.readString(DEPLOY.resolveSibling("docs/metrics.md"));
    Set<String> names = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(clawbots_[a-z_]+)` \\| (\\w+) ").matcher(doc);
    while (row.find()) {
      String name = row.group(1);
      names.add(name);
      if (row.group(2).equals("histogram")) {
        names.add(name + "_bucket");
        names.add(name + "_count");
        names.add(name + "_sum");
      }
    }
    assertThat(names).contains("clawbots_api_latency_seconds", "clawbots_agents_online");
    return names;
  }

  private static Set<String> metricsIn(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
