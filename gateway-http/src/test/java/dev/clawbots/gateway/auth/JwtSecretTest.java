package dev.clawbots.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretTest {

  @TempDir Path dataDir;

  @Test
  void theGeneratedSecretSurvivesARestart() {
    JwtSecret first = JwtSecret.load(Optional.empty(), dataDir);
    JwtSecret second = JwtSecret.load(Optional.empty(), dataDir);

    assertThat(first.bytes()).hasSizeGreaterThanOrEqualTo(JwtSecret.MIN_BYTES);
    assertThat(second.bytes()).isEqualTo(first.bytes());
    assertThat(Files.exists(dataDir.resolve("jwt-secret"))).isTrue();
  }

  @Test
  void tokensFromBeforeARestartStillVerify() {
    Tokens before =
        new Tokens(
            JwtSecret.load(Optional.empty(), dataDir), Tokens.DEFAULT_LIFETIME, Clock.systemUTC());
    String token = before.issue(TokenKind.AGENT, "agent-7", Set.of()).token();

    Tokens after =
        new Tokens(
            JwtSecret.load(Optional.empty(), dataDir), Tokens.DEFAULT_LIFETIME, Clock.systemUTC());
    assertThat(after.verify(token)).isInstanceOf(Principal.class);
  }

  @Test
  void twoDataDirectoriesGetDifferentSecrets(@TempDir Path otherDir) {
    assertThat(JwtSecret.load(Optional.empty(), dataDir).bytes())
        .isNotEqualTo(JwtSecret.load(Optional.empty(), otherDir).bytes());
  }

  @Test
  void theDataDirectoryIsCreatedWhenMissing() {
    Path nested = dataDir.resolve("a/b");
    JwtSecret.load(Optional.empty(), nested);
    assertThat(Files.isRegularFile(nested.resolve("jwt-secret"))).isTrue();
  }

  /** The server runs on POSIX file systems (Linux, containers): there, this always applies. */
  @Test
  void theSecretFileIsReadableByItsOwnerOnly() throws Exception {
    JwtSecret.load(Optional.empty(), dataDir);

    assertThat(Files.getPosixFilePermissions(dataDir.resolve("jwt-secret")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (var leftovers = Files.list(dataDir)) {
      assertThat(leftovers).containsExactly(dataDir.resolve("jwt-secret"));
    }
  }

  @Test
  void theFileHoldsTextThatWorksAsTheConfiguredSecret() throws Exception {
    JwtSecret generated = JwtSecret.load(Optional.empty(), dataDir);
    String text = Files.readString(dataDir.resolve("jwt-secret"), StandardCharsets.UTF_8).strip();

    assertThat(JwtSecret.configured(text).bytes()).isEqualTo(generated.bytes());
  }

  @Test
  void aConfiguredSecretWinsAndNoFileIsWritten() {
    String configured = "x".repeat(32);
    JwtSecret secret = JwtSecret.load(Optional.of(configured), dataDir);

    assertThat(secret.bytes()).isEqualTo(configured.getBytes(StandardCharsets.UTF_8));
    assertThat(Files.exists(dataDir.resolve("jwt-secret"))).isFalse();
  }

  @Test
  void aShortConfiguredSecretIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> JwtSecret.load(Optional.of("x".repeat(31)), dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JWT_SECRET")
        .hasMessageContaining("31 bytes")
        .hasMessageContaining("at least 32");
    assertThatThrownBy(() -> JwtSecret.configured("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTruncatedSecretFileIsRefusedNotReplaced() throws Exception {
    Files.writeString(dataDir.resolve("jwt-secret"), "short\n");

    assertThatThrownBy(() -> JwtSecret.load(Optional.empty(), dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jwt-secret")
        .hasMessageContaining("Delete it");
    assertThat(Files.readString(dataDir.resolve("jwt-secret"))).isEqualTo("short\n");
  }

  @Test
  void theSecretNeverAppearsInToString() {
    String configured = "a-very-secret-value-of-enough-length!";
    assertThat(JwtSecret.configured(configured).toString()).doesNotContain(configured);
  }
}
