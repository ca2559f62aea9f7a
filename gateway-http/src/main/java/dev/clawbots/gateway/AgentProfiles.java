package dev.clawbots.gateway;

import dev.clawbots.persistence.AgentRecord;
import dev.clawbots.persistence.AgentRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Registered agents as the action routes need them (name, default region), read from the registry
 * once and kept, so that an agent's every action is not a database query. Bounded: the least
 * recently used are forgotten first. Names and default regions do not change after registration.
 */
final class AgentProfiles {

  static final int CAPACITY = 100_000;

  private final AgentRegistry registry;
  private final Map<String, AgentRecord> recent =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AgentRecord> eldest) {
          return size() > CAPACITY;
        }
      };

  AgentProfiles(AgentRegistry registry) {
    this.registry = registry;
  }

  CompletionStage<Optional<AgentRecord>> find(String agentId) {
    synchronized (recent) {
      AgentRecord known = recent.get(agentId);
      if (known != null) {
        return CompletableFuture.completedFuture(Optional.of(known));
      }
    }
    return registry
        .find(agentId)
        .thenApply(
            found -> {
              found.ifPresent(
                  a -> {
                    synchronized (recent) {
                      recent.put(agentId, a);
                    }
                  });
              return found;
            });
  }
}
