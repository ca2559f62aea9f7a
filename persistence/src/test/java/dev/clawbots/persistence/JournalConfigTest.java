package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JournalConfigTest {

  private static final Config NO_CONFIG = ConfigFactory.empty();

  private static JournalConfig fromEnv(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return JournalConfig.from(env, NO_CONFIG);
  }

  private static JournalConfig fromUrl(String url) {
    return fromEnv("DATABASE_URL", url);
  }

  @Test
  void withNothingConfiguredItIsTheEmbeddedH2FileUnderData() {
    JournalConfig journal = JournalConfig.from(Map.of(), NO_CONFIG);

    assertThat(journal.backend()).isEqualTo(JournalBackend.H2);
    assertThat(journal.url())
        .isEqualTo(JournalConfig.DEFAULT_EMBEDDED_URL)
        .startsWith("jdbc:h2:file:./data/");
    assertThat(journal.user()).isEqualTo("sa");
    Config config = journal.toConfig();
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.profile"))
        .isEqualTo("slick.jdbc.H2Profile$");
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.driver"))
        .isEqualTo("org.h2.Driver");
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.password"))
        .isEmpty();
  }

  @Test
  void theOverlayForThisProcessSetsTheSharedDatabase() {
    Config overlay = JournalConfig.overlay(ConfigFactory.empty());
    Config slick = overlay.getConfig("pekko-persistence-jdbc.shared-databases.slick");
    JournalBackend backend = JournalBackend.ofSlickProfile(slick.getString("profile"));
    assertThat(slick.getString("db.driver")).isEqualTo(backend.jdbcDriver());
    assertThat(slick.hasPath("db.url")).isTrue();
    assertThat(slick.hasPath("db.user")).isTrue();
    assertThat(slick.hasPath("db.password")).isTrue();
  }

  @Test
  void postgresqlWritesThroughTheBatchingDaoAndH2ThroughThePlugins() {
    Config postgres =
        JournalConfig.from(Map.of("DATABASE_URL", "postgres://db:5432/world"), NO_CONFIG)
            .toConfig();
    assertThat(postgres.getString(JournalConfig.JOURNAL_DAO_PATH))
        .isEqualTo(PostgresJournalDao.class.getName());
    Config h2 = JournalConfig.from(Map.of(), NO_CONFIG).toConfig();
    assertThat(h2.hasPath(JournalConfig.JOURNAL_DAO_PATH)).isFalse();
  }

  @Test
  void blankValuesCountAsUnset() {
    JournalConfig journal =
        JournalConfig.from(
            Map.of("DATABASE_URL", "  ", "DATABASE_USER", ""),
            ConfigFactory.parseString("clawbots.database.url = \"\""));
    assertThat(journal.backend()).isEqualTo(JournalBackend.H2);
    assertThat(journal.user()).isEqualTo("sa");
  }

  @Test
  void theEmbeddedUrlCanBeConfigured() {
    JournalConfig journal =
        JournalConfig.from(
            Map.of(),
            ConfigFactory.parseString(
                "clawbots.database.embedded-url = \"jdbc:h2:file:/var/lib/clawbots/journal\""));
    assertThat(journal.backend()).isEqualTo(JournalBackend.H2);
    assertThat(journal.url()).isEqualTo("jdbc:h2:file:/var/lib/clawbots/journal");
  }

  @Test
  void aJdbcPostgresUrlGetsBatchedInsertsAndTheDefaultCredentials() {
    JournalConfig journal = fromUrl("jdbc:postgresql://db.internal:5432/clawbots");

    assertThat(journal.backend()).isEqualTo(JournalBackend.POSTGRESQL);
    assertThat(journal.url())
        .isEqualTo("jdbc:postgresql://db.internal:5432/clawbots?reWriteBatchedInserts=true");
    assertThat(journal.user()).isEqualTo("clawbots");
    Config config = journal.toConfig();
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.profile"))
        .isEqualTo("slick.jdbc.PostgresProfile$");
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.driver"))
        .isEqualTo("org.postgresql.Driver");
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
        .isEqualTo(journal.url());
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.user"))
        .isEqualTo("clawbots");
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.password"))
        .isEqualTo("clawbots");
  }

  @Test
  void batchedInsertsJoinExistingParametersAndAnExplicitSettingIsKept() {
    assertThat(fromUrl("jdbc:postgresql://db/clawbots?sslmode=require").url())
        .isEqualTo("jdbc:postgresql://db/clawbots?sslmode=require&reWriteBatchedInserts=true");
    assertThat(fromUrl("jdbc:postgresql://db/clawbots?reWriteBatchedInserts=false").url())
        .isEqualTo("jdbc:postgresql://db/clawbots?reWriteBatchedInserts=false");
    assertThat(fromUrl("jdbc:postgresql://db/clawbots?a=1&reWriteBatchedInserts=true&b=2").url())
        .isEqualTo("jdbc:postgresql://db/clawbots?a=1&reWriteBatchedInserts=true&b=2");
  }

  @Test
  void aLibpqUrlIsConvertedWithItsCredentials() {
    JournalConfig journal = fromUrl("postgres://world:s3cr%40t%2Fx@db.internal:6543/clawbots");

    assertThat(journal.backend()).isEqualTo(JournalBackend.POSTGRESQL);
    assertThat(journal.url())
        .isEqualTo("jdbc:postgresql://db.internal:6543/clawbots?reWriteBatchedInserts=true");
    assertThat(journal.user()).isEqualTo("world");
    assertThat(
            journal
                .toConfig()
                .getString("pekko-persistence-jdbc.shared-databases.slick.db.password"))
        .isEqualTo("s3cr@t/x");
  }

  @Test
  void thePostgresqlSchemeWorksToo() {
    JournalConfig journal = fromUrl("postgresql://db/clawbots?sslmode=require");
    assertThat(journal.backend()).isEqualTo(JournalBackend.POSTGRESQL);
    assertThat(journal.url())
        .isEqualTo("jdbc:postgresql://db/clawbots?sslmode=require&reWriteBatchedInserts=true");
    assertThat(journal.user()).isEqualTo("clawbots");
  }

  @Test
  void libpqUrlsMayNameSeveralHostsAndIpv6Addresses() {
    assertThat(fromUrl("postgres://u:p@[::1]:5432,db2:5433/clawbots").url())
        .isEqualTo("jdbc:postgresql://[::1]:5432,db2:5433/clawbots?reWriteBatchedInserts=true");
    assertThat(fromUrl("postgres://u:p@db_1/clawbots").url())
        .as("underscores, as in docker-compose service names")
        .isEqualTo("jdbc:postgresql://db_1/clawbots?reWriteBatchedInserts=true");
  }

  @Test
  void credentialsComeFromTheUrlThenTheEnvironmentThenTheConfiguration() {
    Config config =
        ConfigFactory.parseString(
            "clawbots.database { user = from-config, password = config-secret }");

    JournalConfig fromUrl =
        JournalConfig.from(
            Map.of(
                "DATABASE_URL", "postgres://url-user:url-secret@db/clawbots",
                "DATABASE_USER", "env-user",
                "DATABASE_PASSWORD", "env-secret"),
            config);
    assertThat(fromUrl.user()).isEqualTo("url-user");
    assertThat(password(fromUrl)).isEqualTo("url-secret");

    JournalConfig fromEnv =
        JournalConfig.from(
            Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/clawbots",
                "DATABASE_USER", "env-user",
                "DATABASE_PASSWORD", "env-secret"),
            config);
    assertThat(fromEnv.user()).isEqualTo("env-user");
    assertThat(password(fromEnv)).isEqualTo("env-secret");

    JournalConfig fromConfig =
        JournalConfig.from(Map.of("DATABASE_URL", "jdbc:postgresql://db/clawbots"), config);
    assertThat(fromConfig.user()).isEqualTo("from-config");
    assertThat(password(fromConfig)).isEqualTo("config-secret");
  }

  @Test
  void theEnvironmentWinsOverTheConfigurationKey() {
    Config config =
        ConfigFactory.parseString("clawbots.database.url = \"jdbc:postgresql://from-config/db\"");

    assertThat(JournalConfig.from(Map.of(), config).url())
        .isEqualTo("jdbc:postgresql://from-config/db?reWriteBatchedInserts=true");
    assertThat(
            JournalConfig.from(Map.of("DATABASE_URL", "jdbc:postgresql://from-env/db"), config)
                .url())
        .isEqualTo("jdbc:postgresql://from-env/db?reWriteBatchedInserts=true");
  }

  @Test
  void anH2UrlSelectsH2() {
    JournalConfig journal = fromUrl("jdbc:h2:mem:journal;DB_CLOSE_DELAY=-1");
    assertThat(journal.backend()).isEqualTo(JournalBackend.H2);
    assertThat(journal.url()).isEqualTo("jdbc:h2:mem:journal;DB_CLOSE_DELAY=-1");
    assertThat(journal.user()).isEqualTo("sa");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://u:p@db/clawbots",
        "jdbc:mysql://db/clawbots",
        "db.internal:5432/clawbots",
        "postgres://db.internal:5432",
        "postgres://db.internal:5432/",
        "postgres://u:p@:5432/clawbots",
        "postgres://db:54x2/clawbots",
        "postgres://db:70000/clawbots",
        "postgres://db/clawbots/extra",
        "postgres://u:p%zz@db/clawbots",
        "postgres://u:p@[::1/clawbots",
        "jdbc:postgresql:",
        "jdbc:postgresql://",
        "jdbc:h2:"
      })
  void aBadUrlIsRejectedWithAClearMessage(String url) {
    assertThatThrownBy(() -> fromUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageContaining("Expected jdbc:postgresql://host[:port]/database");
  }

  @Test
  void theMessageForABadUrlNamesItsSourceAndHidesThePassword() {
    assertThatThrownBy(
            () ->
                JournalConfig.from(
                    Map.of(),
                    ConfigFactory.parseString(
                        "clawbots.database.url = \"mysql://root:hunter2@db/clawbots\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clawbots.database.url")
        .hasMessageContaining("mysql://root:***@db/clawbots")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> fromUrl("postgres://root:hun/ter2@db"))
        .hasMessageNotContaining("hun/ter2")
        .hasMessageNotContaining("ter2");
  }

  @Test
  void theDescriptionNamesTheBackendAndHidesThePassword() {
    assertThat(fromUrl("postgres://world:hunter2@db:5432/clawbots").describe())
        .isEqualTo(
            "PostgreSQL at jdbc:postgresql://db:5432/clawbots?reWriteBatchedInserts=true as world")
        .doesNotContain("hunter2");
    assertThat(fromUrl("jdbc:postgresql://db/clawbots?user=u&password=hunter2").describe())
        .contains("password=***")
        .doesNotContain("hunter2");
    assertThat(JournalConfig.from(Map.of(), NO_CONFIG).describe())
        .startsWith("H2 (embedded) at jdbc:h2:file:./data/clawbots");
  }

  @Test
  void slickProfilesMapToBackends() {
    assertThat(JournalBackend.ofSlickProfile("slick.jdbc.PostgresProfile$"))
        .isEqualTo(JournalBackend.POSTGRESQL);
    assertThat(JournalBackend.ofSlickProfile("slick.jdbc.H2Profile$")).isEqualTo(JournalBackend.H2);
    assertThatThrownBy(() -> JournalBackend.ofSlickProfile("slick.jdbc.MySQLProfile$"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slick.jdbc.MySQLProfile$");
  }

  /**
   * persistence.conf with the plugin's reference.conf under it, resolved without this process's
   * environment (the tests' environment is {@code env}), and JournalConfig over it.
   */
  private static Config persistenceConf(Map<String, String> env) {
    Config app =
        ConfigFactory.parseResources("persistence.conf")
            .withFallback(ConfigFactory.defaultReference())
            .resolve(ConfigResolveOptions.noSystem());
    return JournalConfig.from(env, app).applyTo(app);
  }

  @Test
  void persistenceConfRunsTheJdbcPluginsOnOneSharedPool() {
    Config config = persistenceConf(Map.of());

    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(config.getString("pekko.persistence.snapshot-store.plugin"))
        .isEqualTo("jdbc-snapshot-store");
    for (String plugin : List.of("jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal")) {
      assertThat(config.getString(plugin + ".use-shared-db")).as(plugin).isEqualTo("slick");
    }
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    assertThat(db.getInt("numThreads")).isBetween(4, 8).isEqualTo(db.getInt("maxConnections"));
    assertThat(db.getInt("minConnections")).isBetween(2, db.getInt("maxConnections"));
    assertThat(db.getInt("queueSize")).isPositive();
    assertThat(config.getInt("jdbc-journal.parallelism")).isLessThan(db.getInt("maxConnections"));
    assertThat(config.getInt("jdbc-journal.batchSize")).isPositive();
  }

  @Test
  void persistenceConfWithJournalConfigOverItSelectsPostgres() {
    Config config = persistenceConf(Map.of("DATABASE_URL", "postgres://u:p@db:5432/clawbots"));
    Config slick = config.getConfig("pekko-persistence-jdbc.shared-databases.slick");
    assertThat(slick.getString("profile")).isEqualTo("slick.jdbc.PostgresProfile$");
    assertThat(slick.getString("db.driver")).isEqualTo("org.postgresql.Driver");
    assertThat(slick.getString("db.url"))
        .isEqualTo("jdbc:postgresql://db:5432/clawbots?reWriteBatchedInserts=true");
    assertThat(slick.getInt("db.maxConnections")).isEqualTo(6);
  }

  /**
   * Every option persistence.conf sets for the plugin is one the plugin's reference.conf knows,
   * apart from the shared database's connection settings, which reference.conf only shows in
   * comments.
   */
  @Test
  void persistenceConfUsesOnlyOptionsThePluginKnows() {
    Config reference = ConfigFactory.defaultReference();
    Config ours = ConfigFactory.parseResources("persistence.conf");
    Set<String> commentedInReference =
        Set.of(
            "pekko-persistence-jdbc.shared-databases.slick.profile",
            "pekko-persistence-jdbc.shared-databases.slick.db.url",
            "pekko-persistence-jdbc.shared-databases.slick.db.user",
            "pekko-persistence-jdbc.shared-databases.slick.db.password",
            "pekko-persistence-jdbc.shared-databases.slick.db.driver");
    int checked = 0;
    for (Map.Entry<String, ConfigValue> entry : ours.entrySet()) {
      String path = entry.getKey();
      if (path.startsWith("clawbots.") || commentedInReference.contains(path)) {
        continue;
      }
      assertThat(reference.hasPathOrNull(path)).as("%s in reference.conf", path).isTrue();
      checked++;
    }
    assertThat(checked).isGreaterThan(15);
  }

  private static String password(JournalConfig journal) {
    return journal
        .toConfig()
        .getString("pekko-persistence-jdbc.shared-databases.slick.db.password");
  }
}
