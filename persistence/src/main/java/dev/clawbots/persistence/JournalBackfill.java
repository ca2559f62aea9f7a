package dev.clawbots.persistence;

import dev.clawbots.region.FeedEvent;
import dev.clawbots.region.Region;
import dev.clawbots.region.RegionEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Missed events read from the journal itself, the system of record: complete as soon as an event is
 * acknowledged, unlike the read side's {@code events} table, which lags by the projection's batch.
 * A region's visible {@code seq} never runs ahead of its journal sequence number (bookkeeping
 * events take a journal number but no {@code seq}), so the events after {@code seq} N are all at
 * journal numbers above N.
 */
public final class JournalBackfill implements EventBackfill {

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public JournalBackfill(ActorSystem<?> system) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  @Override
  public CompletionStage<List<FeedEvent>> after(String regionId, long afterSeq, int limit) {
    String persistenceId = PersistenceId.of(Region.ENTITY_KEY.name(), regionId).id();
    return journal
        .currentEventsByPersistenceId(persistenceId, afterSeq + 1, Long.MAX_VALUE)
        .map(envelope -> (RegionEvent) envelope.event())
        .filter(e -> e.visible() && e.seq() > afterSeq)
        .take(limit)
        .map(e -> FeedEvent.of(e).orElseThrow())
        .runWith(Sink.seq(), system);
  }
}
