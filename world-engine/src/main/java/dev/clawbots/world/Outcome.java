package dev.clawbots.world;

/**
 * The answer to anything the engine is asked with outside input: a value, or a typed rejection. The
 * engine answers bad input with a rejection and never throws.
 */
public sealed interface Outcome<T> {

  record Accepted<T>(T value) implements Outcome<T> {}

  record Rejected<T>(Rejection rejection) implements Outcome<T> {}

  static <T> Outcome<T> accepted(T value) {
    return new Accepted<>(value);
  }

  static <T> Outcome<T> rejected(RejectionReason reason, String message) {
    return new Rejected<>(new Rejection(reason, message));
  }

  default boolean isAccepted() {
    return this instanceof Accepted;
  }
}
