package dev.clawbots.opensim;

/** The grid's answer to one call: what it answered, or how it failed. */
sealed interface GridReply<T> {

  record Ok<T>(T value) implements GridReply<T> {}

  record Failed<T>(GridFailure failure) implements GridReply<T> {}
}
