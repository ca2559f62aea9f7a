package dev.clawbots.persistence;

import java.sql.SQLException;
import java.util.UUID;

/** Spectator sessions on the embedded default: H2, here in memory. */
class SpectatorSessionsOnH2Test extends SpectatorSessionsContract {

  @Override
  String[] database() {
    String url =
        "jdbc:h2:mem:spectators-"
            + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    try {
      ReadSideSchema.migrate(url, "sa", "", JournalBackend.H2);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new String[] {url, "sa", ""};
  }
}
