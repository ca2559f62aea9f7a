package dev.clawbots.persistence;

import com.typesafe.config.Config;
import java.util.UUID;

/** Regions on the embedded default journal: H2, here in memory. */
class RegionOnH2Test extends RegionJournalContract {

  @Override
  Config journal() {
    return journalAt(
        "jdbc:h2:mem:regions-"
            + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
  }
}
