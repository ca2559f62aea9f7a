package dev.clawbots.gateway;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A client's WebSocket message as the connection sees it: its text, or the fact that it was too
 * large or binary. Text is read whether it came strict or streamed in fragments, and never held
 * past {@code maxBytes}: the rest of a message too large is read and dropped, so that a client
 * cannot make the server buffer more than the limit.
 */
sealed interface InboundFrame {

  record Text(String text) implements InboundFrame {}

  /** A text message of {@code bytes} UTF-8 bytes, over the limit (counted up to where it ended). */
  record TooLarge(long bytes) implements InboundFrame {}

  record Binary() implements InboundFrame {}

  /**
   * The error a message that cannot be read as text gets: binary, or over the limit. Empty for
   * text, which the connection parses itself.
   */
  static Optional<ApiError> refusal(InboundFrame frame) {
    if (frame instanceof Binary) {
      return Optional.of(
          ApiError.badRequest("binary messages are not accepted; send JSON as text"));
    }
    if (frame instanceof TooLarge t) {
      return Optional.of(
          ApiError.of(
              "payload_too_large",
              "a message may be at most "
                  + ClientMessages.MAX_MESSAGE_BYTES
                  + " bytes; this one had "
                  + t.bytes()));
    }
    return Optional.empty();
  }

  static CompletionStage<InboundFrame> read(Message message, int maxBytes, Materializer mat) {
    if (!message.isText()) {
      return message
          .asBinaryMessage()
          .getStreamedData()
          .runWith(Sink.ignore(), mat)
          .thenApply(done -> new Binary());
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      String s = text.getStrictText();
      long bytes = utf8Length(s);
      return CompletableFuture.completedFuture(
          bytes > maxBytes ? new TooLarge(bytes) : new Text(s));
    }
    return text.getStreamedText()
        .runWith(
            Sink.fold(
                new Collected(new StringBuilder(), 0),
                (collected, part) -> collected.add(part, maxBytes)),
            mat)
        .thenApply(
            c ->
                c.bytes() > maxBytes
                    ? (InboundFrame) new TooLarge(c.bytes())
                    : new Text(c.text().toString()));
  }

  /** The text so far (dropped once over the limit) and its size in UTF-8 bytes. */
  record Collected(StringBuilder text, long bytes) {
    Collected add(String part, int maxBytes) {
      long total = bytes + utf8Length(part);
      if (total > maxBytes) {
        return new Collected(new StringBuilder(0), total);
      }
      return new Collected(text.append(part), total);
    }
  }

  /** The UTF-8 size of {@code s}, without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
