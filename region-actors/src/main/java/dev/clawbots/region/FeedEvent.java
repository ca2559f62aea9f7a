package dev.clawbots.region;

import java.util.List;
import java.util.Optional;

/**
 * An event as it travels between nodes: the client's view of it ({@link WireEvent}) and its
 * audience, the agents of the region who perceive it. A chat reaches its hearers (the speaker
 * included; a private message the speaker and its target), an emote its witnesses, each as the
 * region decided at the event's tick and journaled with it; any other event reaches only the agent
 * it is about. Gateways filter an agent's feed by this, so that a replay from the journal and the
 * live feed give an agent the same events.
 */
public record FeedEvent(WireEvent event, List<String> audience) {

  public FeedEvent {
    audience = List.copyOf(audience);
  }

  /** The travelling form of a journaled event; empty for bookkeeping events clients never see. */
  public static Optional<FeedEvent> of(RegionEvent event) {
    return WireEvent.of(event).map(wire -> new FeedEvent(wire, audienceOf(event)));
  }

  public long seq() {
    return event.seq();
  }

  /** Whether {@code agentId} perceives this event. */
  public boolean reaches(String agentId) {
    return audience.contains(agentId);
  }

  private static List<String> audienceOf(RegionEvent event) {
    if (event instanceof RegionEvent.Spoke s) {
      return s.hearers();
    }
    if (event instanceof RegionEvent.Emoted e) {
      return e.witnesses();
    }
    if (event instanceof RegionEvent.AvatarSpoke a) {
      return a.hearers();
    }
    return event.agentId() == null ? List.of() : List.of(event.agentId());
  }
}
