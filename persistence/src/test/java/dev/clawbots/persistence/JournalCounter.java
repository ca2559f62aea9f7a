package dev.clawbots.persistence;

import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.DeleteSnapshotsCompleted;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A tiny event-sourced counter for the journal tests: it persists what it is told to add, one event
 * per amount, snapshots every 3 events keeping 2 snapshots, tags every event, and reports its
 * recoveries and snapshots to a probe. Its events and state travel as Jackson CBOR, through {@link
 * CborSerializable}, which the tests' configuration binds.
 */
final class JournalCounter
    extends EventSourcedBehavior<
        JournalCounter.Command, JournalCounter.Event, JournalCounter.State> {

  /** Marks the messages the tests' configuration binds to {@code jackson-cbor}. */
  interface CborSerializable {}

  static final String TAG = "journal-counter";

  sealed interface Command {}

  /** Persists one event. Replies with the state after it. */
  record Add(int amount, ActorRef<State> replyTo) implements Command {}

  /** Persists one event per amount, atomically (persistAll). Replies with the state after them. */
  record AddAll(List<Integer> amounts, ActorRef<State> replyTo) implements Command {}

  /** Stops the entity. */
  record Stop() implements Command {}

  sealed interface Event extends CborSerializable {}

  record Added(int amount) implements Event {}

  /**
   * The counter's state: how many amounts it has added, their sum, and a hash that depends on the
   * order in which they were added.
   */
  record State(long count, long sum, long orderHash) implements CborSerializable {
    static final State EMPTY = new State(0, 0, 17);

    State add(int amount) {
      return new State(count + 1, sum + amount, orderHash * 31 + amount);
    }
  }

  sealed interface Report {}

  /**
   * Recovery completed with this state, at this sequence number, after replaying this many events
   * on top of the snapshot it started from (if any).
   */
  record Recovered(State state, long sequenceNr, int replayedEvents) implements Report {}

  record SnapshotTaken(long sequenceNr) implements Report {}

  record SnapshotsDeleted() implements Report {}

  private final ActorContext<Command> context;
  private final ActorRef<Report> reports;
  private final boolean fromSnapshots;
  private boolean recovered;
  private int replayedEvents;

  /**
   * @param fromSnapshots recover from the latest snapshot and the events after it; when false,
   *     ignore snapshots and replay every event
   */
  static Behavior<Command> create(
      String persistenceId, ActorRef<Report> reports, boolean fromSnapshots) {
    return Behaviors.setup(
        context ->
            new JournalCounter(
                PersistenceId.ofUniqueId(persistenceId), context, reports, fromSnapshots));
  }

  private JournalCounter(
      PersistenceId persistenceId,
      ActorContext<Command> context,
      ActorRef<Report> reports,
      boolean fromSnapshots) {
    super(persistenceId);
    this.context = context;
    this.reports = reports;
    this.fromSnapshots = fromSnapshots;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Add.class,
            add ->
                Effect()
                    .persist(new Added(add.amount()))
                    .thenReply(add.replyTo(), (State state) -> state))
        .onCommand(
            AddAll.class,
            addAll ->
                Effect()
                    .persist(addAll.amounts().stream().map(a -> (Event) new Added(a)).toList())
                    .thenReply(addAll.replyTo(), (State state) -> state))
        .onCommand(Stop.class, stop -> Effect().stop())
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Added.class,
            (state, added) -> {
              if (!recovered) {
                replayedEvents++;
              }
              return state.add(added.amount());
            })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              recovered = true;
              reports.tell(new Recovered(state, lastSequenceNumber(context), replayedEvents));
            })
        .onSignal(
            SnapshotCompleted.class,
            (state, completed) ->
                reports.tell(new SnapshotTaken(completed.metadata().sequenceNr())))
        .onSignal(
            DeleteSnapshotsCompleted.class,
            (state, deleted) -> reports.tell(new SnapshotsDeleted()))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(3, 2);
  }

  @Override
  public Recovery recovery() {
    return fromSnapshots
        ? Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.latest())
        : Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }
}
