package dev.clawbots.persistence;

import java.sql.SQLException;
import java.util.UUID;

/** Revocations on the embedded default: H2, here in memory. */
class DatabaseRevocationsOnH2Test extends DatabaseRevocationsContract {

  static String migratedH2() {
    String url =
        "jdbc:h2:mem:revocations-"
            + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    try {
      ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return url;
  }

  @Override
  String[] database() {
    return new String[] {migratedH2(), "sa", ""};
  }
}
