package dev.clawbots.opensim;

/** What the bridge says to a request from the relay script (a registration, an avatar's chat). */
public sealed interface RelayVerdict {

  /** Accepted, for the world region {@code regionId}. */
  record Admitted(String regionId) implements RelayVerdict {}

  /**
   * Refused: {@code code} is the contract's error code ({@code forbidden} for a wrong secret,
   * {@code not_found} for an OpenSim region that mirrors no world region, {@code bad_request},
   * {@code unavailable} when the server has no relay secret).
   */
  record Refused(String code, String message) implements RelayVerdict {}
}
