package dev.clawbots.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The key that signs and verifies tokens (HMAC). Configured ({@code JWT_SECRET}, {@code
 * clawbots.auth.jwt-secret}) wherever more than one node must accept each other's tokens; in the
 * embedded default, generated once and kept in a file under the data directory, so that a restarted
 * server still accepts the tokens it issued. Never printed: {@link #toString} says only where it
 * came from.
 */
public final class JwtSecret {

  /** HS256 needs a key at least as long as its hash: 256 bits. */
  public static final int MIN_BYTES = 32;

  /** The file under the data directory that holds the generated secret. */
  public static final String FILE_NAME = "jwt-secret";

  /** Random bytes in a generated secret; the file holds them base64url-encoded. */
  private static final int GENERATED_BYTES = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private final String source;

  private JwtSecret(byte[] bytes, String source) {
    this.bytes = bytes;
    this.source = source;
  }

  /**
   * The configured secret when there is one, or else the one in {@code dataDir/jwt-secret},
   * generated and written there (owner-only, where the file system has POSIX permissions) when the
   * file does not exist yet.
   *
   * @throws IllegalArgumentException when the configured secret, or the file's, is shorter than
   *     {@link #MIN_BYTES}
   * @throws UncheckedIOException when the file cannot be read or written
   */
  public static JwtSecret load(Optional<String> configured, Path dataDir) {
    if (configured.isPresent()) {
      return configured(configured.get());
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return fromFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the JWT secret file " + file, e);
    }
  }

  /**
   * A secret given in configuration: the UTF-8 bytes of the string as it is.
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_BYTES}
   */
  public static JwtSecret configured(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "clawbots.auth.jwt-secret (JWT_SECRET) is "
              + bytes.length
              + " bytes long; HS256 needs at least "
              + MIN_BYTES
              + ". Use a random one, e.g. the output of `openssl rand -base64 48`.");
    }
    return new JwtSecret(bytes, "configured (clawbots.auth.jwt-secret)");
  }

  /** A copy of the key's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Where the secret came from, for the startup line; never the secret itself. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "JwtSecret[" + source + "]";
  }

  private static JwtSecret fromFile(Path file) throws IOException {
    // The file holds text used exactly as JWT_SECRET would be, so an operator moving to a cluster
    // can copy it into JWT_SECRET and keep every token valid.
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the JWT secret file "
              + file
              + " holds "
              + bytes.length
              + " bytes; at least "
              + MIN_BYTES
              + " are needed. Delete it to have a new one generated (tokens signed with the old"
              + " one stop being valid).");
    }
    return new JwtSecret(bytes, "generated, kept in " + file);
  }

  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] random = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(random);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n";
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    FileAttribute<?>[] ownerOnly =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    // Written whole under another name and then moved into place, so that no reader ever sees a
    // half-written secret; the permissions are set at creation, so it is never readable by others.
    Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp", ownerOnly);
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file);
    } catch (FileAlreadyExistsException e) {
      // Another process made one meanwhile: use theirs.
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
