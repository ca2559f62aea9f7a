package dev.clawbots.persistence;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.UUID;

/** The embedded default: the journal on H2 in memory, no Redis, the cluster's pub/sub. */
class FeedSubscriptionsOnH2Test extends FeedSubscriptionsContract {

  @Override
  Config journal() {
    return RegionJournalContract.journalAt(
        "jdbc:h2:mem:feeds-"
            + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
  }

  @Override
  Optional<String> redis() {
    return Optional.empty();
  }
}
