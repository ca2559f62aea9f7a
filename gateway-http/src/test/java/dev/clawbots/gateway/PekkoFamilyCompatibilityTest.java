package dev.clawbots.gateway;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Proves that the pinned Pekko family works together in one typed ActorSystem: cluster (self-join
 * on 127.0.0.1, random port), Cluster Sharding of an event-sourced entity journaled by
 * pekko-persistence-jdbc on in-memory H2 (with Jackson CBOR for the events), Pekko HTTP and Pekko
 * Management's cluster routes; and that a second ActorSystem recovers the entity from the journal.
 */
class PekkoFamilyCompatibilityTest {

  private static final String JDBC_URL = "jdbc:h2:mem:compat;DB_CLOSE_DELAY=-1";
  private static final String JDBC_USER = "sa";
  private static final String JDBC_PASSWORD = "";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static final String CONFIG =
      """
      pekko {
        loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
        logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
        loglevel = WARNING
        stdout-loglevel = WARNING
        actor {
          provider = cluster
          serialization-bindings {
            "dev.clawbots.gateway.PekkoFamilyCompatibilityTest$CborSerializable" = jackson-cbor
          }
        }
        remote.artery.canonical {
          hostname = "127.0.0.1"
          port = 0
        }
        cluster {
          downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
          jmx.enabled = off
        }
        coordinated-shutdown.run-by-jvm-shutdown-hook = off
        persistence {
          journal.plugin = "jdbc-journal"
          snapshot-store.plugin = "jdbc-snapshot-store"
        }
        management.http {
          hostname = "127.0.0.1"
          port = 0
        }
      }
      pekko-persistence-jdbc.shared-databases.slick {
        profile = "slick.jdbc.H2Profile$"
        db {
          url = "jdbc:h2:mem:compat;DB_CLOSE_DELAY=-1"
          user = "sa"
          password = ""
          driver = "org.h2.Driver"
          numThreads = 2
          maxConnections = 2
          minConnections = 1
        }
      }
      jdbc-journal.use-shared-db = "slick"
      jdbc-snapshot-store.use-shared-db = "slick"
      jdbc-read-journal.use-shared-db = "slick"
      """;

  // ---------------------------------------------------------------------------------------------
  // The entity: a sharded, event-sourced counter.
  // ---------------------------------------------------------------------------------------------

  /** Bound to Jackson CBOR in {@link #CONFIG}; local to this test. */
  interface CborSerializable {}

  sealed interface Command extends CborSerializable {}

  record Increment(int delta, ActorRef<Value> replyTo) implements Command {}

  record GetValue(ActorRef<Value> replyTo) implements Command {}

  /** Asks the shard to passivate (stop) the entity; the next message starts it again. */
  record Passivate(ActorRef<Done> replyTo) implements Command {}

  /** The counter's value, and which incarnation of the entity answered. */
  record Value(long value, String incarnation) implements CborSerializable {}

  record Incremented(int delta) implements CborSerializable {}

  record CounterState(long value) implements CborSerializable {}

  static final EntityTypeKey<Command> COUNTER = EntityTypeKey.create(Command.class, "Counter");

  static final class Counter extends EventSourcedBehavior<Command, Incremented, CounterState> {
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final ActorRef<Command> self;
    private final String incarnation = UUID.randomUUID().toString();

    static Behavior<Command> create(String entityId, ActorRef<ClusterSharding.ShardCommand> shard) {
      return Behaviors.setup(
          context ->
              new Counter(PersistenceId.of(COUNTER.name(), entityId), shard, context.getSelf()));
    }

    private Counter(
        PersistenceId persistenceId,
        ActorRef<ClusterSharding.ShardCommand> shard,
        ActorRef<Command> self) {
      super(persistenceId);
      this.shard = shard;
      this.self = self;
    }

    @Override
    public CounterState emptyState() {
      return new CounterState(0);
    }

    @Override
    public CommandHandler<Command, Incremented, CounterState> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Increment.class,
              (state, cmd) ->
                  Effect()
                      .persist(new Incremented(cmd.delta()))
                      .thenReply(cmd.replyTo(), s -> new Value(s.value(), incarnation)))
          .onCommand(
              GetValue.class,
              (state, cmd) -> Effect().reply(cmd.replyTo(), new Value(state.value(), incarnation)))
          .onCommand(
              Passivate.class,
              (state, cmd) ->
                  Effect()
                      .none()
                      .thenRun(() -> shard.tell(new ClusterSharding.Passivate<>(self)))
                      .thenReply(cmd.replyTo(), s -> Done.getInstance()))
          .build();
    }

    @Override
    public EventHandler<CounterState, Incremented> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(Incremented.class, (state, evt) -> new CounterState(state.value() + evt.delta()))
          .build();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fixture
  // ---------------------------------------------------------------------------------------------

  private final List<ActorSystem<?>> systems = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void initLogging() {
    // Binds SLF4J to Logback on this thread before the ActorSystem's threads start logging, so
    // SLF4J has no concurrent calls to intercept and replay (and warn about).
    LoggerFactory.getILoggerFactory();
  }

  @BeforeEach
  void createJournalSchema() throws Exception {
    runSqlResource("schema/h2/h2-drop-schema.sql");
    runSqlResource("schema/h2/h2-create-schema.sql");
  }

  @AfterEach
  void shutDownSystems() throws Exception {
    Exception failure = null;
    for (ActorSystem<?> system : systems) {
      try {
        shutDown(system);
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    systems.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /** The bundled schema of pekko-persistence-jdbc, run statement by statement over JDBC. */
  private static void runSqlResource(String resource) throws IOException, SQLException {
    String sql;
    try (InputStream in =
        PekkoFamilyCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as("resource " + resource + " in pekko-persistence-jdbc").isNotNull();
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection connection = DriverManager.getConnection(JDBC_URL, JDBC_USER, JDBC_PASSWORD);
        Statement statement = connection.createStatement()) {
      for (String part : sql.split(";")) {
        if (!part.isBlank()) {
          statement.execute(part);
        }
      }
    }
  }

  private static long journalRows(String persistenceId) throws SQLException {
    try (Connection connection = DriverManager.getConnection(JDBC_URL, JDBC_USER, JDBC_PASSWORD);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ?")) {
      statement.setString(1, persistenceId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A fresh single-node cluster, joined to itself and Up, with the counter's sharding started. */
  private ActorSystem<Void> startNode() {
    Config config =
        ConfigFactory.parseString(CONFIG).withFallback(ConfigFactory.defaultReference()).resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "compat", config);
    systems.add(system);

    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Void> probe = TestProbe.create(system);
    probe.awaitAssert(
        TIMEOUT,
        () -> {
          assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
          return null;
        });

    ClusterSharding.get(system)
        .init(Entity.of(COUNTER, ctx -> Counter.create(ctx.getEntityId(), ctx.getShard())));
    return system;
  }

  private static void shutDown(ActorSystem<?> system) throws Exception {
    try {
      PekkoManagement.get(system).stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Value increment(EntityRef<Command> counter, int delta) throws Exception {
    return await(counter.ask(replyTo -> new Increment(delta, replyTo), TIMEOUT));
  }

  private static Value valueOf(EntityRef<Command> counter) throws Exception {
    return await(counter.ask(GetValue::new, TIMEOUT));
  }

  private HttpResponse<String> httpGet(String uri) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  // ---------------------------------------------------------------------------------------------
  // The test
  // ---------------------------------------------------------------------------------------------

  @Test
  void clusterShardingJdbcJournalHttpAndManagementWorkTogether() throws Exception {
    String entityId = "counter-1";
    String persistenceId = PersistenceId.of(COUNTER.name(), entityId).id();

    // First node: write through the sharded entity.
    ActorSystem<Void> first = startNode();
    EntityRef<Command> counter = ClusterSharding.get(first).entityRefFor(COUNTER, entityId);
    assertThat(increment(counter, 5).value()).isEqualTo(5);
    Value beforePassivation = increment(counter, 7);
    assertThat(beforePassivation.value()).isEqualTo(12);
    assertThat(journalRows(persistenceId)).as("events in the H2 journal").isEqualTo(2);

    // Passivated and started again within the same system, it recovers from the journal. The
    // shard learns of the passivation asynchronously (typed sharding relays it through an actor
    // selection), so the old incarnation may still answer a message or two: poll until a new one
    // does.
    await(counter.ask(Passivate::new, TIMEOUT));
    Value afterPassivation =
        TestProbe.create(first)
            .awaitAssert(
                TIMEOUT,
                () -> {
                  Value value = valueOf(counter);
                  assertThat(value.incarnation()).isNotEqualTo(beforePassivation.incarnation());
                  return value;
                });
    assertThat(afterPassivation.value()).isEqualTo(12);

    // Pekko HTTP serves a route that asks the sharded entity.
    Route route =
        pathPrefix(
            "counter",
            () ->
                path(
                    PathMatchers.segment(),
                    id ->
                        get(
                            () ->
                                onSuccess(
                                    () ->
                                        ClusterSharding.get(first)
                                            .entityRefFor(COUNTER, id)
                                            .<Value>ask(GetValue::new, TIMEOUT),
                                    value -> complete(Long.toString(value.value()))))));
    ServerBinding binding = await(Http.get(first).newServerAt("127.0.0.1", 0).bind(route));
    try {
      int port = binding.localAddress().getPort();
      HttpResponse<String> response = httpGet("http://127.0.0.1:" + port + "/counter/" + entityId);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("12");
      assertThat(httpGet("http://127.0.0.1:" + port + "/nowhere").statusCode()).isEqualTo(404);
    } finally {
      await(binding.unbind());
    }

    // Pekko Management's cluster routes report this node as an Up member.
    String managementUri = await(PekkoManagement.get(first).start()).toString();
    assertThat(managementUri).startsWith("http://127.0.0.1:").doesNotEndWith(":0");
    HttpResponse<String> members = httpGet(managementUri + "/cluster/members");
    assertThat(members.statusCode()).isEqualTo(200);
    JsonNode json = new ObjectMapper().readTree(members.body());
    String selfNode = Cluster.get(first).selfMember().address().toString();
    assertThat(json.path("selfNode").asText()).isEqualTo(selfNode);
    List<String> selfStatus = new ArrayList<>();
    for (JsonNode member : json.path("members")) {
      if (selfNode.equals(member.path("node").asText())) {
        selfStatus.add(member.path("status").asText());
      }
    }
    assertThat(selfStatus).as("status of %s in %s", selfNode, members.body()).containsExactly("Up");

    // Stop the first system; a new one recovers the entity's state from the journal.
    systems.remove(first);
    shutDown(first);

    ActorSystem<Void> second = startNode();
    EntityRef<Command> recovered = ClusterSharding.get(second).entityRefFor(COUNTER, entityId);
    assertThat(valueOf(recovered).value()).isEqualTo(12);
    assertThat(increment(recovered, 1).value()).isEqualTo(13);
    assertThat(journalRows(persistenceId)).isEqualTo(3);
  }
}
