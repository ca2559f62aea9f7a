package dev.clawbots.world;

/** Why the engine refused a decision, with the wire error code a client sees for it. */
public enum RejectionReason {
  INVALID_ID("bad_request"),
  INVALID_NAME("bad_request"),
  NOT_A_NUMBER("bad_request"),
  OUT_OF_BOUNDS("bad_request"),
  SPEED_OUT_OF_RANGE("bad_request"),
  EMPTY_TEXT("bad_request"),
  TEXT_TOO_LONG("bad_request"),
  UNKNOWN_EMOTE("bad_request"),
  NOT_IN_REGION("not_found"),
  ALREADY_IN_REGION("conflict"),
  PERMISSION_DENIED("forbidden");

  private final String errorCode;

  RejectionReason(String errorCode) {
    this.errorCode = errorCode;
  }

  /** The contract's error code: {@code bad_request}, {@code forbidden}, ... */
  public String errorCode() {
    return errorCode;
  }
}
