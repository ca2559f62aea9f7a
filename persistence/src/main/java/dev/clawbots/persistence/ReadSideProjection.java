package dev.clawbots.persistence;

import com.typesafe.config.Config;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionEvent;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.MeasurementUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The read side's projection of region events: it follows the journal by the tag every region event
 * carries ({@link Region#TAG}) and writes one {@code events} row per visible event, and a {@code
 * chat_messages} row per chat event, so that history can be served without replaying regions. The
 * REST history ({@link EventHistory}, {@link ChatHistory}) reads what it writes.
 *
 * <p>Events are written in batches, one transaction each, with the projection's offsets in {@code
 * projection_offsets} (projection {@value #NAME}): per region the last seq written, and in the row
 * of region {@code *} the journal ordering the tag query resumes after. A batch is applied whole
 * and once, so the projection can be stopped or fail anywhere, and resumes where its last commit
 * left it. A failure (the database away) restarts the stream with backoff from the stored offset.
 *
 * <p>It reports how far behind the journal it is: the Kamon gauge {@value #LAG_METRIC} (seconds;
 * Prometheus {@code clawbots_projection_lag_seconds}) and the counter {@value #EVENTS_METRIC}
 * (Prometheus {@code clawbots_projection_events_total}), both tagged {@code projection}.
 */
public final class ReadSideProjection {

  /** The projection's name in {@code projection_offsets}. */
  public static final String NAME = "events";

  /** The lag gauge: seconds from the last projected event to now, 0 when caught up. */
  public static final String LAG_METRIC = "clawbots.projection.lag";

  /** The counter of events written. */
  public static final String EVENTS_METRIC = "clawbots.projection.events";

  /** How the projection batches and restarts; {@code clawbots.projection} in configuration. */
  public record Settings(
      int batchSize, Duration batchWindow, Duration backoffMin, Duration backoffMax) {

    public Settings {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be 1 or more, not " + batchSize);
      }
    }

    /** From {@code clawbots.projection} in {@code config} (see {@code persistence.conf}). */
    public static Settings from(Config config) {
      Config c = config.getConfig("clawbots.projection");
      return new Settings(
          c.getInt("batch-size"),
          c.getDuration("batch-window"),
          c.getDuration("restart-backoff-min"),
          c.getDuration("restart-backoff-max"));
    }
  }

  /** What flows to the writer: journaled events, and the mark that the backlog is behind us. */
  private sealed interface Element {}

  private record Journaled(EventEnvelope envelope) implements Element {}

  private enum CaughtUp implements Element {
    INSTANCE
  }

  private final JdbcReadJournal journal;
  private final ReadSideWriter writer;
  private final Executor blocking;
  private final Settings settings;
  private final Clock clock = Clock.systemUTC();
  private final AtomicLong projected = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final Gauge lagGauge;
  private final Counter eventsCounter;
  private volatile boolean caughtUp;
  private volatile Instant lastEventAt;
  private volatile CompletableFuture<?> writing = CompletableFuture.completedFuture(null);
  private UniqueKillSwitch killSwitch;
  private CompletionStage<Done> done;
  private Cancellable reporting;

  private ReadSideProjection(
      ActorSystem<?> system, DataSource dataSource, Executor blocking, Settings settings) {
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.writer = new ReadSideWriter(dataSource, NAME);
    this.blocking = blocking;
    this.settings = settings;
    this.lagGauge =
        Kamon.gauge(LAG_METRIC, "how far the read side is behind the journal", secondsUnit())
            .withTag("projection", NAME);
    this.eventsCounter =
        Kamon.counter(EVENTS_METRIC, "events written to the read side").withTag("projection", NAME);
  }

  /**
   * Starts projecting with the settings in the system's configuration ({@code
   * clawbots.projection}).
   *
   * @param dataSource the read side's database, migrated by {@link ReadSideSchema}: the journal's
   * @param blocking where JDBC runs (e.g. the {@code clawbots.jdbc-dispatcher}); it blocks
   */
  public static ReadSideProjection start(
      ActorSystem<?> system, DataSource dataSource, Executor blocking) {
    return start(system, dataSource, blocking, Settings.from(system.settings().config()));
  }

  /** Starts projecting with the given settings. */
  public static ReadSideProjection start(
      ActorSystem<?> system, DataSource dataSource, Executor blocking, Settings settings) {
    ReadSideProjection projection = new ReadSideProjection(system, dataSource, blocking, settings);
    projection.run(system);
    return projection;
  }

  private void run(ActorSystem<?> system) {
    RestartSettings restart =
        RestartSettings.create(settings.backoffMin(), settings.backoffMax(), 0.2);
    Pair<UniqueKillSwitch, CompletionStage<Done>> running =
        RestartSource.withBackoff(restart, this::fromStoredOffset)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    killSwitch = running.first();
    done = running.second();
    // A gauge holds the last value set; refresh it, since lag grows while nothing is written.
    reporting =
        system
            .scheduler()
            .scheduleAtFixedRate(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                () -> lagGauge.update(lagSeconds()),
                system.executionContext());
  }

  /**
   * Stops reading the journal. Completes once the batch being written, if any, has committed or
   * failed: after that the projection writes nothing more.
   */
  public CompletionStage<Done> stop() {
    reporting.cancel();
    killSwitch.shutdown();
    return done.handle((d, e) -> Done.getInstance())
        .thenCompose(d -> writing.handle((w, e) -> Done.getInstance()));
  }

  /**
   * Seconds from the last projected event's {@code created_at} to now while events wait to be
   * written; 0 when the projection has written everything the journal had at its last poll (the
   * read journal's {@code refresh-interval}), or has seen no event yet.
   */
  public double lagSeconds() {
    Instant last = lastEventAt;
    if (last == null || (caughtUp && inFlight.get() == 0)) {
      return 0;
    }
    return Math.max(0, Duration.between(last, clock.instant()).toMillis() / 1000.0);
  }

  /** Events this projection has written since it started (replayed ones it skipped not counted). */
  public long projected() {
    return projected.get();
  }

  /** One run of the stream, from the offset stored by the last commit; restarted on failure. */
  private Source<List<Element>, NotUsed> fromStoredOffset() {
    inFlight.set(0);
    caughtUp = false;
    CompletableFuture<Source<Element, NotUsed>> events =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return journalAfter(writer.tagOffset());
              } catch (SQLException e) {
                throw new CompletionException(e);
              }
            },
            blocking);
    return Source.completionStageSource(events)
        .map(this::received)
        .groupedWithin(settings.batchSize(), settings.batchWindow())
        .mapAsync(1, this::write)
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /**
   * The tagged events after {@code ordering}: those in the journal now, the {@link CaughtUp} mark,
   * then new ones as they are journaled.
   */
  private Source<Element, NotUsed> journalAfter(long ordering) {
    AtomicLong seen = new AtomicLong(ordering);
    Source<Element, NotUsed> backlog =
        journal
            .currentEventsByTag(Region.TAG, Offset.sequence(ordering))
            .map(
                e -> {
                  seen.set(((Sequence) e.offset()).value());
                  return new Journaled(e);
                });
    Source<Element, NotUsed> live =
        Source.lazySource(
                () ->
                    journal
                        .eventsByTag(Region.TAG, Offset.sequence(seen.get()))
                        .<Element>map(Journaled::new))
            .mapMaterializedValue(m -> NotUsed.getInstance());
    // concatLazy: plain concat pulls the live query at once, before the backlog has set `seen`.
    return backlog.concatLazy(Source.<Element>single(CaughtUp.INSTANCE)).concatLazy(live);
  }

  private Element received(Element element) {
    if (element instanceof Journaled j) {
      inFlight.incrementAndGet();
      // Before the first commit, the first event seen stands for the last one projected.
      if (lastEventAt == null && j.envelope().event() instanceof RegionEvent e) {
        lastEventAt = e.at();
      }
    }
    return element;
  }

  private CompletionStage<List<Element>> write(List<Element> batch) {
    List<EventEnvelope> envelopes = new ArrayList<>(batch.size());
    for (Element element : batch) {
      if (element instanceof Journaled j) {
        envelopes.add(j.envelope());
      }
    }
    CompletableFuture<List<Element>> written =
        envelopes.isEmpty()
            ? CompletableFuture.completedFuture(batch)
            : CompletableFuture.supplyAsync(
                () -> {
                  try {
                    committed(writer.write(envelopes), envelopes.size());
                    return batch;
                  } catch (SQLException e) {
                    throw new CompletionException(e);
                  }
                },
                blocking);
    writing = written;
    return written.thenApply(
        b -> {
          if (b.contains(CaughtUp.INSTANCE)) {
            caughtUp = true;
          }
          lagGauge.update(lagSeconds());
          return b;
        });
  }

  private void committed(ReadSideWriter.Written written, int envelopes) {
    projected.addAndGet(written.projected());
    eventsCounter.increment(written.projected());
    if (written.lastEventAt() != null) {
      lastEventAt = written.lastEventAt();
    }
    inFlight.addAndGet(-envelopes);
  }

  private static MeasurementUnit secondsUnit() {
    return MeasurementUnit.time().seconds();
  }
}
