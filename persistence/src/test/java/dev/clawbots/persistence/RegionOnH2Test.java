package dev.clawbots.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/** Regions on the embedded default journal: H2, here in memory. */
class RegionOnH2Test extends RegionJournalContract {

  @Override
  Config journal() {
    String url =
        "jdbc:h2:mem:regions-"
            + UUID.randomUUID()
            + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    Config resolved =
        ConfigFactory.load(
            ConfigFactory.parseString("clawbots.database.url = \"" + url + "\"")
                .withFallback(ConfigFactory.parseResources("persistence.conf")));
    Config config = JournalConfig.from(Map.of(), resolved).applyTo(resolved);
    try {
      JournalSchema.createIfNotExists(config);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return config;
  }
}
