package dev.clawbots.region;

/**
 * What an agent's entity ({@link Agent}) tells the connections attached to it: where the agent is
 * when one attaches, where it goes and when it leaves however that happens (its own join or leave
 * on any connection or over REST, a crossing, an idle timeout), and private messages to it from
 * other regions. A connection follows its agent's region by these.
 */
public sealed interface AgentNotice extends CborSerializable {

  /** The answer to {@link Agent.Attach}: the agent is in {@code regionId}, or nowhere (null). */
  record Attached(String agentId, String regionId) implements AgentNotice {}

  /**
   * The agent entered {@code regionId} with event {@code seq} (its {@code agent_joined} or {@code
   * region_crossed}), or at an unknown seq when {@code seq} is negative.
   */
  record Entered(String agentId, String regionId, long seq) implements AgentNotice {}

  /** The agent left {@code regionId} and is in no region. */
  record Left(String agentId, String regionId) implements AgentNotice {}

  /** A private message to the agent, spoken in another region. */
  record Addressed(RegionEvent.Spoke message) implements AgentNotice {}
}
