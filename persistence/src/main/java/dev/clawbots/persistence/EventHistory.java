package dev.clawbots.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawbots.region.WireEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * A region's event history as the projection wrote it to {@code events}, for {@code GET
 * /v1/regions/{id}/events?after_seq=N&limit=M}, which needs no token: so private chat (a {@code
 * chat} event with a {@code target_agent}) is left out, and a page's {@code next_after_seq} is the
 * seq of its last event (the client's {@code after_seq} when the page is empty). JDBC blocks, so
 * every call runs on the executor it is given and answers with a stage.
 */
public final class EventHistory {

  /** The most events or messages one call answers. */
  public static final int MAX_LIMIT = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> CONTENT =
      new TypeReference<>() {};

  private final DataSource dataSource;
  private final Executor blocking;

  public EventHistory(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  /**
   * The region's public events with a seq above {@code afterSeq}, oldest first, at most {@code
   * limit} (more than {@value #MAX_LIMIT} counts as {@value #MAX_LIMIT}). Their {@code content}
   * holds JSON values (maps, lists, strings, numbers, booleans), so that {@code WireJson} writes
   * each event as it was first published.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  public CompletionStage<List<WireEvent>> eventsAfter(String regionId, long afterSeq, int limit) {
    int rows = limit(limit);
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "SELECT seq, world_tick, event_type, source_agent, target_agent, content,"
                          + " created_at FROM events WHERE region = ? AND seq > ?"
                          + " AND (event_type <> 'chat' OR target_agent IS NULL)"
                          + " ORDER BY seq LIMIT ?")) {
            s.setString(1, regionId);
            s.setLong(2, afterSeq);
            s.setInt(3, rows);
            List<WireEvent> events = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                events.add(
                    new WireEvent(
                        r.getLong("seq"),
                        regionId,
                        r.getLong("world_tick"),
                        r.getString("event_type"),
                        r.getString("source_agent"),
                        r.getString("target_agent"),
                        content(r.getString("content")),
                        r.getObject("created_at", OffsetDateTime.class).toInstant()));
              }
            }
            return events;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** A page size from a client's {@code limit}: at most {@value #MAX_LIMIT}. */
  static int limit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more, not " + limit);
    }
    return Math.min(limit, MAX_LIMIT);
  }

  private static Map<String, Object> content(String json) {
    try {
      return JSON.readValue(json, CONTENT);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("events.content is not a JSON object: " + json, e);
    }
  }
}
