package dev.clawbots.gateway.auth;

/**
 * The cost of hashing an API key with argon2id. Each stored hash names the parameters it was made
 * with, so changing these affects new keys only; existing keys keep verifying.
 *
 * @param memoryKib memory per hash, in KiB (argon2's {@code m})
 * @param iterations passes over that memory ({@code t})
 * @param parallelism lanes ({@code p})
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {

  /** OWASP's recommendation for argon2id: 19 MiB, 2 iterations, 1 lane. */
  public static final Argon2Parameters OWASP = new Argon2Parameters(19 * 1024, 2, 1);

  public Argon2Parameters {
    if (parallelism < 1 || parallelism > 255) {
      throw new IllegalArgumentException(
          "argon2 parallelism must be from 1 to 255, not " + parallelism);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("argon2 iterations must be at least 1, not " + iterations);
    }
    if (memoryKib < 8 * parallelism) {
      throw new IllegalArgumentException(
          "argon2 memory must be at least 8 KiB per lane ("
              + 8 * parallelism
              + " KiB), not "
              + memoryKib
              + " KiB");
    }
  }
}
