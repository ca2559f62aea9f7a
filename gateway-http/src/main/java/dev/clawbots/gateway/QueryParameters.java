package dev.clawbots.gateway;

import java.util.Optional;

/** Query parameters read strictly: a value that is there but wrong is a 400 that says so. */
final class QueryParameters {

  private QueryParameters() {}

  static long nonNegativeLong(String name, Optional<String> value, long fallback) {
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.get().trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiError.Failure(
        ApiError.badRequest(
            name + " must be a whole number, 0 or more, not '" + value.get() + "'"));
  }

  /** {@code limit}: 1 to {@code max}, {@code fallback} when absent. */
  static int limit(Optional<String> value, int fallback, int max) {
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.get().trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiError.Failure(
        ApiError.badRequest(
            "limit must be a whole number from 1 to " + max + ", not '" + value.get() + "'"));
  }
}
