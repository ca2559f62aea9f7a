package dev.clawbots.persistence;

import dev.clawbots.region.FeedEvent;
import dev.clawbots.region.RegionEvent;
import dev.clawbots.region.RegionFeed;
import dev.clawbots.region.WireEvent;
import dev.clawbots.region.WireJson;
import dev.clawbots.region.WirePositions;
import dev.clawbots.world.TickReport;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RegionFeed} on Redis. Each event goes to the channel {@code events:{region}} in the
 * contract's form, to the nodes' channel {@code feed:{region}} with its audience ({@link
 * FeedEvent}), and to the stream {@code events:{region}} with its audience beside it, which keeps
 * the region's last {@code streamLength} events under the entry id {@code {seq}-0}, so that a
 * subscriber asks for "after seq N" in one {@code XRANGE}; each tick's moved agents go to {@code
 * positions:{region}}. JSON is the contract's ({@link WireJson}).
 *
 * <p>Publishing never blocks a region: a region hands its message to a bounded queue and goes on.
 * One writer thread drains the queue in batches and sends each batch pipelined on the link's bulk
 * connection, flushed once ({@link RedisLink#pipeline}), which is what lets a node publish at the
 * rate Redis takes commands. While Redis is unreachable, or {@link #MAX_IN_FLIGHT} messages wait, a
 * message is dropped and counted ({@link #failures()}); the journal keeps every event, and
 * subscribers fill gaps in {@code seq} from the stream or the journal.
 */
public final class RedisRegionFeed implements RegionFeed, AutoCloseable {

  /** How many events each region's stream keeps. */
  public static final int STREAM_LENGTH = 1000;

  /** Messages queued or sent and not yet answered, at most; past it they are dropped. */
  static final int MAX_IN_FLIGHT = 8_000;

  /** Messages sent in one write, at most. */
  static final int BATCH = 512;

  private static final Logger log = LoggerFactory.getLogger(RedisRegionFeed.class);

  /**
   * A message waiting for the writer: an event (published in the contract's form and with its
   * audience, and streamed) or positions (published only; {@code feed} and {@code audience} null).
   */
  private record Message(
      String channel, String json, long seq, String feed, String envelope, String audience) {
    boolean streamed() {
      return seq > 0;
    }
  }

  private final RedisLink link;
  private final RedisKeys keys;
  private final int streamLength;
  private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(MAX_IN_FLIGHT);
  private final AtomicLong failures = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread writer;
  private volatile boolean closed;

  public RedisRegionFeed(RedisLink link, RedisKeys keys, int streamLength) {
    this.link = link;
    this.keys = keys;
    this.streamLength = streamLength;
    this.writer = new Thread(this::write, "redis-region-feed");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void eventJournaled(RegionEvent event) {
    Optional<FeedEvent> visible = FeedEvent.of(event);
    if (visible.isPresent() && sendable()) {
      FeedEvent published = visible.get();
      WireEvent wire = published.event();
      enqueue(
          new Message(
              keys.events(wire.regionId()),
              WireJson.write(wire),
              wire.seq(),
              keys.feed(wire.regionId()),
              WireJson.write(published),
              WireJson.write(published.audience())));
    }
  }

  @Override
  public void agentsMoved(String regionId, long tick, List<TickReport.AgentPosition> moved) {
    if (sendable()) {
      enqueue(
          new Message(
              keys.positions(regionId),
              WireJson.write(WirePositions.of(regionId, tick, moved)),
              0,
              null,
              null,
              null));
    }
  }

  /** Messages queued or sent and not answered yet: how far Redis is behind this node. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Events and position updates that did not reach Redis since start. */
  public long failures() {
    return failures.get();
  }

  private boolean sendable() {
    if (!link.isUp()) {
      failures.incrementAndGet();
      return false;
    }
    return true;
  }

  private void enqueue(Message message) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT || !queue.offer(message)) {
      inFlight.decrementAndGet();
      failed(new IllegalStateException(MAX_IN_FLIGHT + " messages already wait for Redis"));
    }
  }

  private void write() {
    List<Message> batch = new ArrayList<>(BATCH);
    while (!closed) {
      try {
        Message first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        if (!link.pipeline(redis -> batch.forEach(m -> send(redis, m)))) {
          inFlight.addAndGet(-batch.size());
          for (int i = 0; i < batch.size(); i++) {
            failed(new IllegalStateException("Redis is down"));
          }
        }
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("the Redis feed's writer failed on a batch; going on", e);
        inFlight.addAndGet(-batch.size());
        batch.clear();
      }
    }
  }

  private void send(RedisAsyncCommands<String, String> redis, Message m) {
    if (m.streamed()) {
      // Answered once every command is: the in-flight count is of messages, not commands.
      redis.publish(m.channel(), m.json()).whenComplete(this::noted);
      redis.publish(m.feed(), m.envelope()).whenComplete(this::noted);
      watch(
          redis.xadd(
              m.channel(),
              XAddArgs.Builder.maxlen(streamLength).exactTrimming().id(m.seq() + "-0"),
              Map.of("seq", Long.toString(m.seq()), "event", m.json(), "audience", m.audience())));
    } else {
      watch(redis.publish(m.channel(), m.json()));
    }
  }

  private void noted(Object ok, Throwable failure) {
    if (failure != null) {
      failed(failure);
    }
  }

  private void watch(CompletionStage<?> answer) {
    answer.whenComplete(
        (ok, failure) -> {
          inFlight.decrementAndGet();
          noted(ok, failure);
        });
  }

  private void failed(Throwable failure) {
    if (failures.getAndIncrement() % 1000 == 0) {
      log.warn("publishing to Redis failed ({} so far): {}", failures.get(), failure.toString());
    }
  }

  /** Stops the writer; what is still queued is dropped (the journal has it). */
  @Override
  public void close() {
    closed = true;
    writer.interrupt();
  }
}
