package dev.clawbots.gateway.auth;

/**
 * A request refused by authentication or authorisation, as the contract's error: {@code code} gives
 * the body's {@code error.code} and the HTTP status, {@code message} its {@code error.message}.
 *
 * @param message human readable, safe to send to the client
 */
public record AuthFailure(Code code, String message) implements Authentication {

  /** The contract's error codes that authentication produces. */
  public enum Code {
    /** No token, or one that is malformed, forged, expired or revoked. */
    UNAUTHORIZED("unauthorized", 401),
    /** A valid token that may not do this: wrong kind, another agent, a missing permission. */
    FORBIDDEN("forbidden", 403),
    /**
     * Whether the token is revoked could not be found out. Refused rather than let through, and not
     * a 401, so that the client retries instead of throwing its token away.
     */
    UNAVAILABLE("unavailable", 503);

    private final String wireName;
    private final int httpStatus;

    Code(String wireName, int httpStatus) {
      this.wireName = wireName;
      this.httpStatus = httpStatus;
    }

    /** The contract's {@code error.code}. */
    public String wireName() {
      return wireName;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  public static AuthFailure unauthorized(String message) {
    return new AuthFailure(Code.UNAUTHORIZED, message);
  }

  public static AuthFailure forbidden(String message) {
    return new AuthFailure(Code.FORBIDDEN, message);
  }
}
