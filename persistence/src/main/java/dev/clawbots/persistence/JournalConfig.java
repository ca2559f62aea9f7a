package dev.clawbots.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the journal and the snapshot store live, decided from the environment and configuration,
 * and the configuration that points pekko-persistence-jdbc there.
 *
 * <p>{@code persistence.conf} configures the plugin for the embedded H2 default. The database URL
 * decides the Slick profile and the JDBC driver, which configuration alone cannot derive, so the
 * server layers {@link #toConfig()} over it:
 *
 * <pre>{@code
 * Config app = ConfigFactory.load();                 // application.conf includes persistence.conf
 * JournalConfig journal = JournalConfig.fromEnvironment(app);
 * log.info("journal on {}", journal.describe());
 * Config effective = journal.applyTo(app);
 * }</pre>
 *
 * <p>The URL is the first of: the environment variable {@code DATABASE_URL}, the configuration key
 * {@code clawbots.database.url}, the configuration key {@code clawbots.database.embedded-url}, and
 * {@link #DEFAULT_EMBEDDED_URL}. It may be a JDBC URL ({@code jdbc:postgresql://...} or {@code
 * jdbc:h2:...}) or a libpq URL ({@code postgres://user:password@host:port/database} or {@code
 * postgresql://...}), which is converted to JDBC. A PostgreSQL URL gets {@code
 * reWriteBatchedInserts=true} unless it sets that parameter itself, so that the journal's batched
 * inserts go to the server as multi-row statements.
 *
 * <p>The user is the first of: the one in a libpq URL, {@code DATABASE_USER}, {@code
 * clawbots.database.user}, and the backend's default ({@code clawbots} for PostgreSQL, {@code sa}
 * for H2). The password likewise, from {@code DATABASE_PASSWORD} and {@code
 * clawbots.database.password}, defaulting to {@code clawbots} for PostgreSQL and empty for H2.
 * Blank values count as unset.
 */
public final class JournalConfig {

  /** The configuration key of the database URL; {@code DATABASE_URL} takes precedence over it. */
  public static final String URL_KEY = "clawbots.database.url";

  /** The configuration key of the database user; {@code DATABASE_USER} takes precedence. */
  public static final String USER_KEY = "clawbots.database.user";

  /** The configuration key of the database password; {@code DATABASE_PASSWORD} takes precedence. */
  public static final String PASSWORD_KEY = "clawbots.database.password";

  /** The configuration key of the embedded H2 database's URL, used when no URL is set. */
  public static final String EMBEDDED_URL_KEY = "clawbots.database.embedded-url";

  public static final String URL_ENV = "DATABASE_URL";
  public static final String USER_ENV = "DATABASE_USER";
  public static final String PASSWORD_ENV = "DATABASE_PASSWORD";

  /**
   * The embedded database when nothing else is configured: an H2 file under {@code ./data}.
   *
   * <p>The plugin's H2 schema and Slick's H2 profile quote every identifier, in lower case. {@code
   * DATABASE_TO_LOWER=TRUE} folds unquoted identifiers to lower case as PostgreSQL does, so plain
   * SQL finds those tables on both databases (the plugin's own H2 tests use the equivalent {@code
   * DATABASE_TO_UPPER=false}); {@code DEFAULT_NULL_ORDERING=HIGH} sorts nulls as PostgreSQL does.
   * {@code MODE=PostgreSQL} is deliberately absent: in that mode H2 rejects the plugin's H2 schema
   * script ({@code AUTO_INCREMENT} is a syntax error there).
   */
  public static final String DEFAULT_EMBEDDED_URL =
      "jdbc:h2:file:./data/clawbots;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  /** Where the plugin's shared database is configured; every journal plugin section uses it. */
  public static final String SHARED_DATABASE_PATH = "pekko-persistence-jdbc.shared-databases.slick";

  static final String REWRITE_BATCHED_INSERTS = "reWriteBatchedInserts";

  private static final String POSTGRESQL_DEFAULT_USER = "clawbots";
  private static final String POSTGRESQL_DEFAULT_PASSWORD = "clawbots";
  private static final String H2_DEFAULT_USER = "sa";
  private static final String H2_DEFAULT_PASSWORD = "";

  private static final String JDBC_POSTGRESQL = "jdbc:postgresql:";
  private static final String JDBC_H2 = "jdbc:h2:";
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(://[^/?#@:]*):.*@");
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)((?:^|[?&;])password=)[^&;]*");

  private final JournalBackend backend;
  private final String url;
  private final String user;
  private final String password;

  private JournalConfig(JournalBackend backend, String url, String user, String password) {
    this.backend = backend;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * The configuration to layer over {@code persistence.conf} for this process: {@link
   * #fromEnvironment(Config) fromEnvironment(config)}{@code .toConfig()}.
   */
  public static Config overlay(Config config) {
    return fromEnvironment(config).toConfig();
  }

  /** The journal's database from this process's environment variables and {@code config}. */
  public static JournalConfig fromEnvironment(Config config) {
    return from(System.getenv(), config);
  }

  /**
   * The journal's database from the given environment variables and configuration.
   *
   * @param env environment variables ({@code DATABASE_URL}, {@code DATABASE_USER}, {@code
   *     DATABASE_PASSWORD}); they take precedence over {@code config}
   * @param config a resolved configuration, read for the {@code clawbots.database.*} keys
   * @throws IllegalArgumentException when the URL is neither a PostgreSQL nor an H2 URL, or is
   *     malformed; the message names where it came from and never shows a password
   */
  public static JournalConfig from(Map<String, String> env, Config config) {
    String source;
    String rawUrl;
    if (present(env.get(URL_ENV))) {
      source = URL_ENV;
      rawUrl = env.get(URL_ENV);
    } else if (present(stringAt(config, URL_KEY))) {
      source = URL_KEY;
      rawUrl = stringAt(config, URL_KEY);
    } else if (present(stringAt(config, EMBEDDED_URL_KEY))) {
      source = EMBEDDED_URL_KEY;
      rawUrl = stringAt(config, EMBEDDED_URL_KEY);
    } else {
      source = "the default";
      rawUrl = DEFAULT_EMBEDDED_URL;
    }
    Location location = locate(rawUrl.strip(), source);
    boolean postgres = location.backend() == JournalBackend.POSTGRESQL;
    String user =
        firstPresent(
            location.user(),
            env.get(USER_ENV),
            stringAt(config, USER_KEY),
            postgres ? POSTGRESQL_DEFAULT_USER : H2_DEFAULT_USER);
    String password =
        firstPresent(
            location.password(),
            env.get(PASSWORD_ENV),
            stringAt(config, PASSWORD_KEY),
            postgres ? POSTGRESQL_DEFAULT_PASSWORD : H2_DEFAULT_PASSWORD);
    return new JournalConfig(location.backend(), location.jdbcUrl(), user, password);
  }

  /** Which database the journal runs on. */
  public JournalBackend backend() {
    return backend;
  }

  /** The normalised JDBC URL. It may carry a password if one was given as a URL parameter. */
  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /** Never logged: {@link #describe()} and {@link #toString()} leave it out. */
  public String password() {
    return password;
  }

  /** Where the plugin reads which class writes and reads its journal. */
  public static final String JOURNAL_DAO_PATH = "jdbc-journal.dao";

  /**
   * The settings of the plugin's shared database ({@value #SHARED_DATABASE_PATH}): profile, URL,
   * user, password and driver; on PostgreSQL also the journal's DAO, {@link PostgresJournalDao}.
   * Layer them over {@code persistence.conf}, which holds the rest.
   */
  public Config toConfig() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(SHARED_DATABASE_PATH + ".profile", backend.slickProfile());
    settings.put(SHARED_DATABASE_PATH + ".db.url", url);
    settings.put(SHARED_DATABASE_PATH + ".db.user", user);
    settings.put(SHARED_DATABASE_PATH + ".db.password", password);
    settings.put(SHARED_DATABASE_PATH + ".db.driver", backend.jdbcDriver());
    if (backend == JournalBackend.POSTGRESQL) {
      settings.put(JOURNAL_DAO_PATH, PostgresJournalDao.class.getName());
    }
    return ConfigFactory.parseMap(settings, "JournalConfig: " + describe());
  }

  /** {@link #toConfig()} layered over {@code config}. */
  public Config applyTo(Config config) {
    return toConfig().withFallback(config);
  }

  /**
   * One line for the startup log, without the password: {@code PostgreSQL at
   * jdbc:postgresql://db:5432/clawbots?reWriteBatchedInserts=true as clawbots}.
   */
  public String describe() {
    return backend.displayName() + " at " + withoutPassword(url) + " as " + user;
  }

  @Override
  public String toString() {
    return "JournalConfig[" + describe() + "]";
  }

  private record Location(JournalBackend backend, String jdbcUrl, String user, String password) {}

  private static Location locate(String url, String source) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith(JDBC_POSTGRESQL)) {
      String rest = url.substring(JDBC_POSTGRESQL.length());
      if (rest.isEmpty() || rest.equals("//") || rest.startsWith("//?") || rest.startsWith("//#")) {
        throw invalid(source, url, "names no database");
      }
      return new Location(
          JournalBackend.POSTGRESQL, withBatchedInserts(JDBC_POSTGRESQL + rest), null, null);
    }
    if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
      return fromLibpq(url, source);
    }
    if (lower.startsWith(JDBC_H2)) {
      if (url.length() == JDBC_H2.length()) {
        throw invalid(source, url, "names no H2 database");
      }
      return new Location(JournalBackend.H2, JDBC_H2 + url.substring(JDBC_H2.length()), null, null);
    }
    throw invalid(source, url, "is neither a PostgreSQL nor an H2 URL");
  }

  /** {@code postgres[ql]://[user[:password]@]host[:port][,host[:port]...]/database[?params]}. */
  private static Location fromLibpq(String url, String source) {
    String rest = url.substring(url.indexOf("://") + 3);
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      throw invalid(source, url, "has a fragment ('#'); percent-encode '#' in a password as %23");
    }
    String query = null;
    int questionMark = rest.indexOf('?');
    if (questionMark >= 0) {
      query = rest.substring(questionMark + 1);
      rest = rest.substring(0, questionMark);
    }
    int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    String database = slash >= 0 ? rest.substring(slash + 1) : "";
    if (database.isEmpty()) {
      throw invalid(source, url, "names no database (expected .../database)");
    }
    if (database.contains("/")) {
      throw invalid(source, url, "has a path beyond the database name");
    }

    String user = null;
    String password = null;
    String hosts = authority;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hosts = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = percentDecode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, source, url);
      password = colon >= 0 ? percentDecode(userInfo.substring(colon + 1), source, url) : null;
    }
    if (hosts.isEmpty()) {
      throw invalid(source, url, "names no host");
    }
    for (String host : hosts.split(",", -1)) {
      checkHostAndPort(host, source, url);
    }
    String jdbcUrl =
        JDBC_POSTGRESQL + "//" + hosts + "/" + database + (query == null ? "" : "?" + query);
    return new Location(JournalBackend.POSTGRESQL, withBatchedInserts(jdbcUrl), user, password);
  }

  private static void checkHostAndPort(String hostAndPort, String source, String url) {
    String host = hostAndPort;
    String port = null;
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf(']');
      if (close < 0) {
        throw invalid(source, url, "has an unclosed IPv6 address");
      }
      host = hostAndPort.substring(0, close + 1);
      String after = hostAndPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw invalid(source, url, "has text after an IPv6 address");
        }
        port = after.substring(1);
      }
    } else {
      int colon = hostAndPort.lastIndexOf(':');
      if (colon >= 0) {
        host = hostAndPort.substring(0, colon);
        port = hostAndPort.substring(colon + 1);
      }
    }
    if (host.isEmpty() || host.equals("[]")) {
      throw invalid(source, url, "names no host");
    }
    if (port != null) {
      if (!PORT.matcher(port).matches()
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        throw invalid(source, url, "has an invalid port '" + port + "'");
      }
    }
  }

  /** Adds {@code reWriteBatchedInserts=true} to a PostgreSQL JDBC URL that does not set it. */
  static String withBatchedInserts(String jdbcUrl) {
    int questionMark = jdbcUrl.indexOf('?');
    if (questionMark >= 0) {
      for (String parameter : jdbcUrl.substring(questionMark + 1).split("&")) {
        String name =
            parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
        if (name.equals(REWRITE_BATCHED_INSERTS)) {
          return jdbcUrl;
        }
      }
    }
    String separator =
        questionMark < 0 ? "?" : jdbcUrl.endsWith("?") || jdbcUrl.endsWith("&") ? "" : "&";
    return jdbcUrl + separator + REWRITE_BATCHED_INSERTS + "=true";
  }

  private static String percentDecode(String text, String source, String url) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw invalid(source, url, "has a malformed percent-escape in its user or password");
        }
        bytes.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The URL with any password, in its user-info or as a parameter, replaced by {@code ***}. */
  static String withoutPassword(String url) {
    String masked = USERINFO_PASSWORD.matcher(url).replaceFirst("$1:***@");
    return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1***");
  }

  private static IllegalArgumentException invalid(String source, String url, String problem) {
    return new IllegalArgumentException(
        "The journal database URL from "
            + source
            + " ("
            + withoutPassword(url)
            + ") "
            + problem
            + ". Expected jdbc:postgresql://host[:port]/database,"
            + " postgres://[user[:password]@]host[:port]/database,"
            + " postgresql://..., or jdbc:h2:...");
  }

  private static String stringAt(Config config, String path) {
    return config.hasPath(path) ? config.getString(path) : null;
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static String firstPresent(String... values) {
    for (int i = 0; i < values.length - 1; i++) {
      if (present(values[i])) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }
}
