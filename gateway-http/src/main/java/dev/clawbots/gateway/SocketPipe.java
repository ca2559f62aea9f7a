package dev.clawbots.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.japi.function.Function2;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * A WebSocket between a client and its connection actor: what the client sends is read one message
 * at a time ({@link InboundFrame}, at most {@link ClientMessages#MAX_MESSAGE_BYTES} held) and
 * handed to the actor, which acknowledges each before the next is read; what the actor queues goes
 * out. When either side ends, so does the other.
 */
final class SocketPipe {

  /** The actor's acknowledgement that it may be given the next message. */
  enum Ack {
    INSTANCE
  }

  private SocketPipe() {}

  /** A message to the client: {@code {"type", "id"?}}, the {@code id} echoing the client's. */
  static Map<String, Object> reply(String type, JsonNode id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    if (id != null) {
      m.put("id", id);
    }
    return m;
  }

  /**
   * Opens a WebSocket for {@code upgrade}: a queue of {@code buffer} messages to the client and the
   * connection actor {@code behavior} makes for it, named {@code name}, joined by {@link #between}.
   */
  static <C> HttpResponse open(
      ActorSystem<?> system,
      Materializer materializer,
      WebSocketUpgrade upgrade,
      int buffer,
      String name,
      java.util.function.Function<BoundedSourceQueue<Message>, Behavior<C>> behavior,
      Function<ActorRef<Ack>, C> opened,
      Function2<ActorRef<Ack>, InboundFrame, C> received,
      C gone,
      Function<Throwable, C> failed) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(buffer).preMaterialize(materializer);
    ActorRef<C> connection = system.systemActorOf(behavior.apply(out.first()), name, Props.empty());
    return upgrade.handleMessagesWith(
        between(connection, out.second(), materializer, opened, received, gone, failed));
  }

  /** Ends the socket once the client has what is queued; nothing when it is already over. */
  static void complete(BoundedSourceQueue<Message> out) {
    if (!out.isCompleted()) {
      try {
        out.complete();
      } catch (IllegalStateException alreadyOver) {
        // Completed meanwhile by the stream itself: the client left.
      }
    }
  }

  /**
   * Queues {@code json} for the client; false when the socket is gone (the client left, or the
   * queue was completed), which is not an error: a connection learns of it a moment later.
   */
  static boolean offer(BoundedSourceQueue<Message> out, String json) {
    if (out.isCompleted()) {
      return false;
    }
    try {
      return out.offer(TextMessage.create(json)) == QueueOfferResult.enqueued();
    } catch (IllegalStateException gone) {
      return false;
    }
  }

  static <C> Flow<Message, Message, NotUsed> between(
      ActorRef<C> connection,
      Source<Message, NotUsed> out,
      Materializer materializer,
      Function<ActorRef<Ack>, C> opened,
      Function2<ActorRef<Ack>, InboundFrame, C> received,
      C gone,
      Function<Throwable, C> failed) {
    Sink<Message, NotUsed> in =
        Flow.of(Message.class)
            .mapAsync(1, m -> InboundFrame.read(m, ClientMessages.MAX_MESSAGE_BYTES, materializer))
            .to(
                ActorSink.<InboundFrame, C, Ack>actorRefWithBackpressure(
                    connection, received, opened, Ack.INSTANCE, gone, failed));
    return Flow.fromSinkAndSourceCoupled(in, out);
  }
}
