package dev.clawbots.persistence;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to Redis: one connection for commands, shared and pipelined by the feed, the
 * rate limiter, the revocations and presence, and one for the channels the node subscribes to; and
 * the {@link RedisHealth} they all consult.
 *
 * <p>Redis is optional at every moment, start included: {@link RedisClient#connect} throws when
 * Redis is down, so this link connects in the background and keeps trying every {@link
 * Settings#retryEvery} until it succeeds; after that, Lettuce reconnects by itself. Until then, and
 * whenever the link is down, {@link #call} fails at once instead of queueing, and the callers fall
 * back to what they do without Redis. Every command has a deadline ({@link
 * Settings#commandTimeout}): a command in flight when Redis goes away would otherwise wait for the
 * reconnection. A PING every {@link Settings#pingEvery}, on a connection of its own (behind this
 * node's pipelined commands it would measure the node's own backlog), notices a Redis that still
 * holds the connection open but no longer answers; two missed in a row and the link is down. The
 * link is up while its connections are open and Redis answers.
 *
 * <p>The channels subscribed to are remembered here and subscribed again whenever the subscription
 * connection comes (back) up, so a subscriber keeps receiving across outages without noticing them;
 * {@link #onStateChange} tells who needs to know (a subscriber looks for what it missed).
 */
public final class RedisLink implements RedisHealth, AutoCloseable {

  /**
   * How the link behaves.
   *
   * @param commandTimeout how long a command may take before it fails
   * @param connectTimeout how long opening a connection may take
   * @param retryEvery how often to try again while Redis is unreachable (also the longest delay
   *     between reconnection attempts on a client this link creates)
   * @param pingEvery how often to check that Redis answers
   */
  public record Settings(
      Duration commandTimeout, Duration connectTimeout, Duration retryEvery, Duration pingEvery) {

    public Settings {
      positive(commandTimeout, "commandTimeout");
      positive(connectTimeout, "connectTimeout");
      positive(retryEvery, "retryEvery");
      positive(pingEvery, "pingEvery");
    }

    /**
     * Commands fail after 500 ms, so that a rate-limit check on a dying Redis costs an action at
     * most that; connections open within 1 s; retries and pings every second.
     */
    public static Settings defaults() {
      return new Settings(
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1));
    }

    private static void positive(Duration d, String name) {
      Objects.requireNonNull(d, name + " must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, not " + d);
      }
    }
  }

  /** Told when the link goes up ({@code true}) or down ({@code false}). */
  public interface StateListener {
    void linkChanged(boolean up);
  }

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  private final RedisClient client;
  private final ClientResources resources;
  private final RedisURI uri;
  private final Settings settings;
  private final ScheduledExecutorService timer;
  private final AtomicLong timesUp = new AtomicLong();
  private final AtomicInteger missedPings = new AtomicInteger();
  private final Object transitions = new Object();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile StatefulRedisPubSubConnection<String, String> subscriptions;
  private volatile StatefulRedisConnection<String, String> bulk;
  // Only for the PING: on the shared connection it would wait behind this node's own pipeline, and
  // a busy node would take its own backlog for Redis being down.
  private volatile StatefulRedisConnection<String, String> health;
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private final List<BiConsumer<String, String>> messageListeners = new CopyOnWriteArrayList<>();
  private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
  private volatile boolean up;
  private volatile boolean closed;
  private volatile boolean unreachableLogged;

  /**
   * A link on a client of its own, which it shuts down on {@link #close}. Its own, because Lettuce
   * reads a client's options at each connection, and another user of a shared client could change
   * them (as {@link RedisRegionFeed} does) before this link's first connection.
   *
   * @param url a Redis URL, {@code redis://host:port[/db]}
   */
  public static RedisLink open(String url, Settings settings) {
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), settings.retryEvery(), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisURI uri = RedisURI.create(url);
    return new RedisLink(RedisClient.create(resources, uri), resources, uri, settings);
  }

  private RedisLink(
      RedisClient client, ClientResources resources, RedisURI uri, Settings settings) {
    this.client = client;
    this.resources = resources;
    this.uri = uri;
    this.settings = settings;
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(10_000)
            .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
            .socketOptions(
                SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
            .build());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redis-link");
              t.setDaemon(true);
              return t;
            });
    timer.execute(this::connect);
    long ping = settings.pingEvery().toMillis();
    timer.scheduleWithFixedDelay(this::ping, ping, ping, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean isUp() {
    return up;
  }

  @Override
  public long timesUp() {
    return timesUp.get();
  }

  /**
   * Sends the commands {@code command} issues, pipelined on the shared connection, and answers with
   * the stage it returns; or fails at once with {@link RedisUnavailable} while the link is down.
   * Never blocks.
   */
  public <T> CompletionStage<T> call(
      Function<RedisAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !up) {
      return CompletableFuture.failedFuture(new RedisUnavailable(address()));
    }
    return command.apply(c.async());
  }

  /** {@code listener} receives every message on every channel subscribed to, with its channel. */
  public void onMessage(BiConsumer<String, String> listener) {
    messageListeners.add(listener);
  }

  /** {@code listener} hears of every change between up and down, on the link's own thread. */
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

  /** A command was not sent: the link to Redis is down. */
  public static final class RedisUnavailable extends RuntimeException {
    RedisUnavailable(String address) {
      super("Redis at " + address + " is unreachable", null, false, false);
    }
  }

  /** Opens the link's connections one after the other: commands, subscriptions, bulk, health. */
  private void connect() {
    if (closed) {
      return;
    }
    if (connection == null) {
      open(client.connectAsync(StringCodec.UTF8, uri), c -> connection = c);
    } else if (subscriptions == null) {
      open(
          client.connectPubSubAsync(StringCodec.UTF8, uri),
          s -> {
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
            resubscribe();
          });
    } else if (bulk == null) {
      open(
          client.connectAsync(StringCodec.UTF8, uri),
          b -> {
            // Flushed by pipeline(), once per batch: one write for many commands.
            b.setAutoFlushCommands(false);
            bulk = b;
          });
    } else if (health == null) {
      open(
          client.connectAsync(StringCodec.UTF8, uri),
          h -> {
            health = h;
            log.info("connected to Redis at {}:{}", uri.getHost(), uri.getPort());
            ping();
          });
    }
  }

  /**
   * Keeps the connection {@code connecting} opens and goes on to the next one, or tries again after
   * {@link Settings#retryEvery} when it fails.
   */
  private <C extends StatefulConnection<String, String>> void open(
      CompletionStage<C> connecting, Consumer<C> keep) {
    connecting.whenComplete(
        (c, failure) -> {
          if (failure != null) {
            log.debug("Redis at {} unreachable, retrying: {}", uri, failure.toString());
            retryConnect();
          } else if (closed) {
            c.closeAsync();
          } else {
            c.addListener(new Transitions());
            keep.accept(c);
            connect();
          }
        });
  }

  /**
   * Issues what {@code batch} sends on a connection kept for bulk publishing and flushes them in
   * one write: the pipelining that lets one node publish as fast as Redis takes commands. For one
   * writer thread at a time. False, with nothing sent, while the link is down.
   */
  public boolean pipeline(Consumer<RedisAsyncCommands<String, String>> batch) {
    StatefulRedisConnection<String, String> b = bulk;
    if (b == null || !up) {
      return false;
    }
    batch.accept(b.async());
    b.flushCommands();
    return true;
  }

  private void resubscribe() {
    StatefulRedisPubSubConnection<String, String> s = subscriptions;
    if (s != null && s.isOpen() && !channels.isEmpty()) {
      s.async().subscribe(channels.toArray(String[]::new));
    }
  }

  private void retryConnect() {
    if (!closed) {
      try {
        timer.schedule(this::connect, settings.retryEvery().toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closedMeanwhile) {
        // Nothing to retry for.
      }
    }
  }

  private void ping() {
    StatefulRedisConnection<String, String> h = health;
    if (h == null || closed) {
      return;
    }
    h.async()
        .ping()
        .whenComplete(
            (pong, failure) -> {
              StatefulRedisConnection<String, String> c = connection;
              StatefulRedisPubSubConnection<String, String> s = subscriptions;
              StatefulRedisConnection<String, String> b = bulk;
              boolean open =
                  h.isOpen()
                      && c != null
                      && c.isOpen()
                      && s != null
                      && s.isOpen()
                      && b != null
                      && b.isOpen();
              // One slow answer on a busy machine is not an outage: a PING must fail twice in a
              // row. A dropped connection is noticed at once (Transitions), not here.
              int missed = failure == null ? 0 : missedPings.incrementAndGet();
              if (failure == null) {
                missedPings.set(0);
              }
              changed(open && missed < 2);
            });
  }

  private void changed(boolean nowUp) {
    boolean flipped;
    synchronized (transitions) {
      flipped = nowUp != up && !closed;
      if (closed) {
        return;
      }
      if (nowUp && !up) {
        if (timesUp.incrementAndGet() > 1) {
          log.info("Redis at {} is back", address());
        }
      } else if (!nowUp && up) {
        log.warn("Redis at {} is down", address());
      }
      up = nowUp;
    }
    if (flipped) {
      for (StateListener l : stateListeners) {
        l.linkChanged(nowUp);
      }
    }
  }

  /** Host and port only: the URI may carry a password. */
  private String address() {
    return uri.getHost() + ":" + uri.getPort();
  }

  /**
   * Connection events make the link's state follow a disconnection at once, not at the next ping. A
   * reconnection counts only once a PING has come back, so that "up" always means that commands get
   * answers.
   */
  private final class Transitions implements RedisConnectionStateListener {
    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      if (handler == subscriptions) {
        resubscribe();
      }
      ping();
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      changed(false);
    }
  }

  @Override
  public void close() {
    synchronized (transitions) {
      closed = true;
      up = false;
    }
    timer.shutdownNow();
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown();
    resources.shutdown();
  }
}
