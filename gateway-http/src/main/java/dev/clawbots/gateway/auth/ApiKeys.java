package dev.clawbots.gateway.auth;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Agents' API keys: made from 32 random bytes, shown to the agent once, and stored only as an
 * argon2id hash in PHC string format ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}), so that
 * a copy of the database gives no one a working key. Hashing is deliberately slow (tens of
 * milliseconds at {@link Argon2Parameters#OWASP}) and blocks: call it off the request threads.
 * Thread-safe.
 */
public final class ApiKeys {

  /** Every key starts with this, so that a leaked one is recognisable (by secret scanners too). */
  public static final String PREFIX = "cbk_";

  private static final int KEY_BYTES = 32;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final String PHC_PREFIX = "$argon2id$";

  /** Longer strings are no key of ours, and are refused before any hashing. */
  private static final int MAX_KEY_LENGTH = 128;

  private final Argon2Function argon2;
  private final SecureRandom random = new SecureRandom();
  private final String unknownAgentHash;

  /** Hashes new keys with {@code parameters}. */
  public ApiKeys(Argon2Parameters parameters) {
    this.argon2 =
        Argon2Function.getInstance(
            parameters.memoryKib(),
            parameters.iterations(),
            parameters.parallelism(),
            HASH_BYTES,
            Argon2.ID,
            Argon2Function.ARGON2_VERSION_13);
    this.unknownAgentHash = hash(generate());
  }

  /** A new key: {@link #PREFIX} and 32 random bytes in base64url, 47 characters in all. */
  public String generate() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The key's argon2id hash with a new random salt, in PHC string format: what is stored. */
  public String hash(String key) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return argon2.hash(key.getBytes(StandardCharsets.UTF_8), salt).getResult();
  }

  /**
   * Whether {@code key} is the one {@code hash} was made from, with the parameters the hash names.
   * False, never an exception, for a key or hash that is malformed or null.
   */
  public boolean verify(String key, String hash) {
    if (key == null || hash == null || key.length() > MAX_KEY_LENGTH) {
      return false;
    }
    if (!hash.startsWith(PHC_PREFIX)) {
      return false;
    }
    try {
      return Argon2Function.getInstanceFromHash(hash).check(key, hash);
    } catch (RuntimeException e) {
      // A hash that does not parse (password4j throws several unchecked types).
      return false;
    }
  }

  /**
   * Spends the time of one verification and answers false: for an agent id that does not exist, so
   * that a wrong id cannot be told from a wrong key by how long the answer takes.
   */
  public boolean verifyForUnknownAgent(String key) {
    verify(key == null ? "" : key, unknownAgentHash);
    return false;
  }
}
