package dev.clawbots.persistence;

import com.typesafe.config.Config;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** PostgreSQL's journal and the machine's Redis carrying the feed, under a prefix of its own. */
class FeedSubscriptionsOnPostgresIT extends FeedSubscriptionsContract {

  private static final String SCHEMA = "it_feeds_" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void createSchema() throws SQLException {
    TestCluster.createSchema(SCHEMA);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    TestCluster.dropSchema(SCHEMA);
  }

  @Override
  Config journal() {
    return RegionJournalContract.journalAt(TestCluster.urlIn(SCHEMA));
  }

  @Override
  Optional<String> redis() {
    return Optional.of(
        Optional.ofNullable(System.getenv("REDIS_URL")).orElse("redis://127.0.0.1:6379"));
  }
}
