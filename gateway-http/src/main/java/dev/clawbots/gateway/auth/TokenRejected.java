package dev.clawbots.gateway.auth;

/**
 * A token {@link Tokens#verify} refused, with the fault that says why. Every fault is a 401 to the
 * client; the distinction is for logs and tests, and the message for the client.
 *
 * @param message human readable, safe to send to the client
 */
public record TokenRejected(Fault fault, String message) implements TokenCheck {

  /** Why a token was refused. */
  public enum Fault {
    /** Not a JWT at all, or one whose claims are missing or of the wrong type. */
    MALFORMED,
    /** Signed with another secret, or changed after it was signed. */
    BAD_SIGNATURE,
    /** Its header names an algorithm other than the server's, {@code none} included. */
    WRONG_ALGORITHM,
    /** Past its {@code exp}. */
    EXPIRED,
    /** Its {@code nbf} or {@code iat} is still in the future. */
    NOT_YET_VALID
  }
}
