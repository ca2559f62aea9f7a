package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.clawbots.world.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the revocations in {@code revoked_tokens} must do on either database. */
abstract class DatabaseRevocationsContract {

  static final Instant NOW = Instant.parse("2026-11-21T12:00:00.123456Z");

  final ManualClock clock = new ManualClock(NOW);
  private ExecutorService blocking;
  DatabaseRevocations revocations;

  /** url, user, password of a database the read side's migrations have run on. */
  abstract String[] database();

  private HikariDataSource pool;

  @BeforeEach
  void open() {
    String[] db = database();
    blocking = Executors.newFixedThreadPool(2);
    pool = TestCluster.pool(db[0], db[1], db[2]);
    revocations = new DatabaseRevocations(pool, blocking, clock);
  }

  @AfterEach
  void close() {
    pool.close();
    blocking.shutdownNow();
  }

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void aRevokedTokenIsRevokedUntilItWouldHaveExpired() {
    join(revocations.revoke("jti-1", NOW.plus(Duration.ofHours(1))));

    assertThat(join(revocations.isRevoked("jti-1"))).isTrue();
    assertThat(join(revocations.isRevoked("jti-2"))).isFalse();
    clock.advance(Duration.ofHours(1).minusNanos(1000));
    assertThat(join(revocations.isRevoked("jti-1"))).isTrue();
    clock.advance(Duration.ofNanos(1000));
    assertThat(join(revocations.isRevoked("jti-1"))).isFalse();
  }

  @Test
  void revokingTwiceAtOnceIsNotAnError() {
    List<CompletableFuture<Void>> revokes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      revokes.add(
          revocations.revoke("jti-twice", NOW.plus(Duration.ofHours(1))).toCompletableFuture());
    }
    CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new)).join();
    assertThat(join(revocations.isRevoked("jti-twice"))).isTrue();
  }

  @Test
  void thePurgeDeletesOnlyExpiredRevocations() {
    join(revocations.revoke("soon", NOW.plus(Duration.ofMinutes(1))));
    join(revocations.revoke("later", NOW.plus(Duration.ofHours(1))));
    join(revocations.revoke("already", NOW.minus(Duration.ofMinutes(1))));

    assertThat(join(revocations.unexpired()))
        .containsOnlyKeys("soon", "later")
        .containsEntry("later", NOW.plus(Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(2));
    assertThat(join(revocations.purgeExpired())).isEqualTo(2);
    assertThat(join(revocations.purgeExpired())).isZero();
    assertThat(join(revocations.unexpired())).containsOnlyKeys("later");
    assertThat(join(revocations.isRevoked("later"))).isTrue();
  }

  @Test
  void refusesAJtiItCannotStore() {
    assertThatThrownBy(() -> revocations.revoke("x".repeat(65), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 64 characters");
    assertThatThrownBy(() -> revocations.isRevoked(""))
        .isInstanceOf(IllegalArgumentException.class);
    join(revocations.revoke("x".repeat(64), NOW.plusSeconds(1)));
    assertThat(join(revocations.isRevoked("x".repeat(64)))).isTrue();
  }
}
