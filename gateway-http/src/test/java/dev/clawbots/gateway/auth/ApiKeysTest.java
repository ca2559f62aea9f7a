package dev.clawbots.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  /** Cheap parameters, so that the tests run fast; the OWASP ones are tested once below. */
  static final Argon2Parameters CHEAP = new Argon2Parameters(64, 1, 1);

  final ApiKeys keys = new ApiKeys(CHEAP);

  @Test
  void aKeyIsThePrefixAnd32RandomBytes() {
    String key = keys.generate();

    assertThat(key).startsWith("cbk_").hasSize(4 + 43);
    assertThat(Base64.getUrlDecoder().decode(key.substring(4))).hasSize(32);
  }

  @Test
  void keysDiffer() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      seen.add(keys.generate());
    }
    assertThat(seen).hasSize(100);
  }

  @Test
  void aKeyVerifiesAgainstItsHash() {
    String key = keys.generate();
    String hash = keys.hash(key);

    assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain(key);
    assertThat(hash.length()).isLessThanOrEqualTo(255);
    assertThat(keys.verify(key, hash)).isTrue();
  }

  @Test
  void aWrongKeyIsRefused() {
    String key = keys.generate();
    String hash = keys.hash(key);

    assertThat(keys.verify(keys.generate(), hash)).isFalse();
    assertThat(keys.verify(key + "x", hash)).isFalse();
    assertThat(keys.verify(key.substring(0, key.length() - 1), hash)).isFalse();
    assertThat(keys.verify("", hash)).isFalse();
    assertThat(keys.verify(null, hash)).isFalse();
  }

  @Test
  void hashesOfTheSameKeyDifferByTheirSalt() {
    String key = keys.generate();
    String first = keys.hash(key);
    String second = keys.hash(key);

    assertThat(first).isNotEqualTo(second);
    assertThat(keys.verify(key, first)).isTrue();
    assertThat(keys.verify(key, second)).isTrue();
  }

  @Test
  void malformedHashesVerifyNothing() {
    String key = keys.generate();
    for (String hash :
        new String[] {
          null,
          "",
          "plain",
          key,
          "$argon2id$v=19$m=64,t=1,p=1$",
          "$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
          "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$V5CothZR9Mp/pIYxWDNAZeGNHjkTK+UZ3JSqxLY6bYY",
          "$2a$10$abcdefghijklmnopqrstuv"
        }) {
      assertThat(keys.verify(key, hash)).as(hash).isFalse();
    }
  }

  @Test
  void aHashFromTheReferenceImplementationVerifies() {
    // Made by the argon2 reference CLI (the RFC 9106 authors' C code):
    // echo -n cbk_test-key | argon2 somesaltsomesalt -id -t 2 -m 6 -p 1 -l 32 -e
    String reference =
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$V5CothZR9Mp/pIYxWDNAZeGNHjkTK+UZ3JSqxLY6bYY";

    assertThat(keys.verify("cbk_test-key", reference)).isTrue();
    assertThat(keys.verify("cbk_test-kez", reference)).isFalse();
  }

  @Test
  void aHashMadeWithOtherParametersStillVerifies() {
    ApiKeys stronger = new ApiKeys(new Argon2Parameters(128, 2, 2));
    String key = stronger.generate();
    String hash = stronger.hash(key);

    assertThat(hash).contains("$m=128,t=2,p=2$");
    assertThat(keys.verify(key, hash)).isTrue();
  }

  @Test
  void theOwaspParametersAreTheDefaults() {
    ApiKeys owasp = new ApiKeys(Argon2Parameters.OWASP);
    String key = owasp.generate();
    String hash = owasp.hash(key);

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(owasp.verify(key, hash)).isTrue();
  }

  @Test
  void anUnknownAgentIsNeverVerified() {
    assertThat(keys.verifyForUnknownAgent(keys.generate())).isFalse();
    assertThat(keys.verifyForUnknownAgent(null)).isFalse();
  }
}
