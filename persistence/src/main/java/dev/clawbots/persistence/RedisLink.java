package dev.clawbots.persistence;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's link to Redis: one connection for commands (pipelined by everyone who publishes or
 * counts) and one for subscriptions. It connects in the background and keeps trying with backoff,
 * so a node starts, and keeps running, while Redis is unreachable; Lettuce reconnects a connection
 * that drops. While either connection is down the link is down ({@link #isUp()}), commands fail at
 * once instead of queueing, and the node runs degraded.
 *
 * <p>The channels subscribed to are remembered here and subscribed again whenever the subscription
 * connection comes (back) up, so a subscriber never has to notice an outage to keep receiving.
 */
public final class RedisLink implements AutoCloseable {

  /** Told when the link goes up ({@code true}) or down ({@code false}). */
  public interface StateListener {
    void linkChanged(boolean up);
  }

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);

  private final RedisClient client;
  private final RedisURI uri;
  private final Duration maxBackoff;
  private final ScheduledExecutorService retries;
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private final List<BiConsumer<String, String>> messageListeners = new CopyOnWriteArrayList<>();
  private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
  private volatile StatefulRedisConnection<String, String> commands;
  private volatile StatefulRedisPubSubConnection<String, String> subscriptions;
  private volatile boolean wasUp;
  private volatile boolean closed;

  /**
   * Starts connecting to {@code url} ({@code redis://host:port}) in the background.
   *
   * @param maxBackoff the longest wait between two attempts to connect while Redis is unreachable
   */
  public RedisLink(String url, Duration maxBackoff) {
    this.uri = RedisURI.create(url);
    this.uri.setTimeout(Duration.ofSeconds(2));
    this.maxBackoff = maxBackoff;
    this.client = RedisClient.create();
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // While Redis is away, fail commands at once: the journal has every event, and
            // queueing them would only grow memory and replay stale traffic on reconnect.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(10_000)
            .build());
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress at) {
            if (connection == subscriptions && !channels.isEmpty()) {
              subscriptions.async().subscribe(channels.toArray(String[]::new));
            }
            stateMayHaveChanged();
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            stateMayHaveChanged();
          }
        });
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redis-link");
              t.setDaemon(true);
              return t;
            });
    retries.execute(() -> connect(FIRST_RETRY));
    // Connection events can arrive before a connection reports itself open; a look twice a second
    // makes sure a change of state is never missed.
    retries.scheduleWithFixedDelay(this::stateMayHaveChanged, 500, 500, TimeUnit.MILLISECONDS);
  }

  /** Whether both connections are open now. */
  public boolean isUp() {
    StatefulRedisConnection<String, String> c = commands;
    StatefulRedisPubSubConnection<String, String> s = subscriptions;
    return c != null && c.isOpen() && s != null && s.isOpen();
  }

  /** The command interface while the commands connection is open; empty while it is not. */
  public Optional<RedisAsyncCommands<String, String>> commands() {
    StatefulRedisConnection<String, String> c = commands;
    return c != null && c.isOpen() ? Optional.of(c.async()) : Optional.empty();
  }

  /** {@code listener} receives every message on every channel subscribed to, with its channel. */
  public void onMessage(BiConsumer<String, String> listener) {
    messageListeners.add(listener);
  }

  public void onStateChange(StateListener listener) {
    stateListeners.add(listener);
  }

  /** Subscribes to {@code channel}, now if connected, and again after every reconnection. */
  public void subscribe(String channel) {
    if (channels.add(channel)) {
      StatefulRedisPubSubConnection<String, String> s = subscriptions;
      if (s != null && s.isOpen()) {
        s.async().subscribe(channel);
      }
    }
  }

  public void unsubscribe(String channel) {
    if (channels.remove(channel)) {
      StatefulRedisPubSubConnection<String, String> s = subscriptions;
      if (s != null && s.isOpen()) {
        s.async().unsubscribe(channel);
      }
    }
  }

  /** Where the link points, without credentials, for logs and health. */
  public String describe() {
    return "redis://" + uri.getHost() + ":" + uri.getPort();
  }

  private void connect(Duration backoff) {
    if (closed) {
      return;
    }
    try {
      if (commands == null) {
        commands = client.connect(StringCodec.UTF8, uri);
      }
      if (subscriptions == null) {
        StatefulRedisPubSubConnection<String, String> s =
            client.connectPubSub(StringCodec.UTF8, uri);
        s.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                for (BiConsumer<String, String> l : messageListeners) {
                  l.accept(channel, message);
                }
              }
            });
        subscriptions = s;
        if (!channels.isEmpty()) {
          s.async().subscribe(channels.toArray(String[]::new));
        }
      }
      log.info("connected to {}", describe());
      stateMayHaveChanged();
    } catch (RuntimeException unreachable) {
      if (backoff.equals(FIRST_RETRY)) {
        log.warn(
            "Redis at {} is unreachable ({}); fan-out runs in the cluster until it is back",
            describe(),
            unreachable.getMessage());
      }
      Duration next =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      if (!closed) {
        retries.schedule(() -> connect(next), backoff.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private synchronized void stateMayHaveChanged() {
    if (closed) {
      return;
    }
    boolean up = isUp();
    if (up != wasUp) {
      wasUp = up;
      if (!up) {
        log.warn("lost Redis at {}; fan-out runs in the cluster until it is back", describe());
      } else {
        log.info("Redis at {} is up", describe());
      }
      for (StateListener l : stateListeners) {
        l.linkChanged(up);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
    if (subscriptions != null) {
      subscriptions.close();
    }
    if (commands != null) {
      commands.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
