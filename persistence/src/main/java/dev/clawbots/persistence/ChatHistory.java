package dev.clawbots.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * A region's public chat as the projection wrote it to {@code chat_messages}, for {@code GET
 * /v1/regions/{id}/chat?before=ISO&limit=M}: private messages are stored beside public ones but
 * never answered here. JDBC blocks, so every call runs on the executor it is given and answers with
 * a stage.
 */
public final class ChatHistory {

  private static final String COLUMNS =
      "seq, sender_id, sender_name, recipient_id, message, volume, world_tick, created_at";

  private final DataSource dataSource;
  private final Executor blocking;

  public ChatHistory(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  /**
   * The region's public messages sent strictly before {@code before} (null: the latest), newest
   * first, at most {@code limit} (more than {@value EventHistory#MAX_LIMIT} counts as {@value
   * EventHistory#MAX_LIMIT}). The next older page is the one before the last message's {@code
   * createdAt}. Messages of one tick share their {@code createdAt}, so a page that ends inside a
   * tick leaves that tick's older messages out of the next page.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  public CompletionStage<List<ChatMessage>> publicChat(String regionId, Instant before, int limit) {
    int rows = EventHistory.limit(limit);
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement s =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM chat_messages WHERE region = ? AND recipient_id IS NULL"
                          + (before == null ? "" : " AND created_at < ?")
                          + " ORDER BY created_at DESC, seq DESC LIMIT ?")) {
            int i = 1;
            s.setString(i++, regionId);
            if (before != null) {
              s.setObject(i++, before.atOffset(ZoneOffset.UTC));
            }
            s.setInt(i, rows);
            List<ChatMessage> messages = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                messages.add(
                    new ChatMessage(
                        regionId,
                        r.getLong("seq"),
                        r.getString("sender_id"),
                        r.getString("sender_name"),
                        r.getString("recipient_id"),
                        r.getString("message"),
                        r.getString("volume"),
                        r.getLong("world_tick"),
                        r.getObject("created_at", OffsetDateTime.class).toInstant()));
              }
            }
            return messages;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }
}
