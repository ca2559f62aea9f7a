package dev.clawbots.persistence;

import java.util.UUID;

/** The projection on the embedded default: H2, here in memory, a fresh database per test. */
class ReadSideProjectionOnH2Test extends ReadSideProjectionContract {

  @Override
  String databaseUrl() {
    return "jdbc:h2:mem:read-side-"
        + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }
}
