package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on the embedded default: an H2 file database with the default URL's settings, in a
 * temporary directory instead of {@code ./data}, chosen because no URL is configured.
 */
class JournalOnH2Test extends JournalContract {

  @TempDir Path directory;

  private Config config;

  @BeforeEach
  void configureAnEmbeddedJournal() {
    String url =
        JournalConfig.DEFAULT_EMBEDDED_URL.replace(
            "./data/clawbots", directory.resolve("clawbots").toAbsolutePath().toString());
    assertThat(url).isNotEqualTo(JournalConfig.DEFAULT_EMBEDDED_URL);
    // No DATABASE_URL and no clawbots.database.url: the embedded default, in a temp directory.
    config = configFor("clawbots.database.embedded-url = " + ConfigUtil.quoteString(url), Map.of());
  }

  @Override
  Config config() {
    return config;
  }

  @Override
  JournalBackend expectedBackend() {
    return JournalBackend.H2;
  }

  @Test
  void usesTheEmbeddedDatabaseInTheTemporaryDirectory() {
    assertThat(config.getString(JournalConfig.SHARED_DATABASE_PATH + ".db.url"))
        .startsWith("jdbc:h2:file:" + directory.toAbsolutePath())
        .endsWith(
            JournalConfig.DEFAULT_EMBEDDED_URL.substring("jdbc:h2:file:./data/clawbots".length()));
    assertThat(config.getString(JournalConfig.SHARED_DATABASE_PATH + ".db.user")).isEqualTo("sa");
  }
}
