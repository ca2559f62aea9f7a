package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.world.Permission;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the agent registry must do on either database. Subclasses give a migrated database. */
abstract class AgentRegistryContract {

  private static final Instant CREATED = Instant.parse("2026-11-21T10:00:00.123456Z");

  private ExecutorService blocking;
  private AgentRegistry registry;

  /** url, user, password of a database the read side's migrations have run on. */
  abstract String[] database();

  private HikariDataSource pool;

  @BeforeEach
  void open() {
    String[] db = database();
    blocking = Executors.newFixedThreadPool(4);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db[0]);
    config.setUsername(db[1]);
    config.setPassword(db[2]);
    config.setMaximumPoolSize(4);
    pool = new HikariDataSource(config);
    registry = new AgentRegistry(pool, blocking);
  }

  @AfterEach
  void close() {
    pool.close();
    blocking.shutdownNow();
  }

  private static AgentRecord agent(String id) {
    return new AgentRecord(
        id,
        "Ada",
        "explorer",
        null,
        "owner-1",
        "main",
        "$argon2id$v=19$m=65536,t=3,p=1$abc$def",
        Set.of(Permission.MOVE, Permission.SPEAK),
        false,
        CREATED,
        null,
        0,
        0);
  }

  @Test
  void aRegisteredAgentIsFoundAsItWasStored() {
    AgentRecord stored = agent("a-1");
    registry.register(stored).toCompletableFuture().join();

    AgentRecord found = registry.find("a-1").toCompletableFuture().join().orElseThrow();

    assertThat(found).isEqualTo(stored);
    assertThat(registry.find("nobody").toCompletableFuture().join()).isEmpty();
  }

  @Test
  void anIdCanBeRegisteredOnlyOnce() {
    registry.register(agent("a-2")).toCompletableFuture().join();

    assertThatThrownBy(() -> registry.register(agent("a-2")).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AgentRegistry.AgentExists.class);
  }

  @Test
  void concurrentActivityIsAllCountedAndLastSeenOnlyMovesForward() {
    registry.register(agent("a-3")).toCompletableFuture().join();
    Instant base = CREATED.truncatedTo(ChronoUnit.MILLIS);
    List<CompletableFuture<Boolean>> updates = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      updates.add(registry.recordActivity("a-3", 2, 3, base.plusSeconds(i)).toCompletableFuture());
    }
    updates.forEach(CompletableFuture::join);
    // An older sighting arriving late must not move last_seen back.
    registry.recordActivity("a-3", 0, 0, base).toCompletableFuture().join();

    AgentRecord a = registry.find("a-3").toCompletableFuture().join().orElseThrow();
    assertThat(a.messageCount()).isEqualTo(100);
    assertThat(a.totalOnlineSeconds()).isEqualTo(150);
    assertThat(a.lastSeen()).isEqualTo(base.plusSeconds(49));
    assertThat(registry.recordActivity("nobody", 1, 1, base).toCompletableFuture().join())
        .isFalse();
  }
}
