package dev.clawbots.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The DDL JournalSchema derives from the plugin's scripts, checked without a database. */
class JournalSchemaTest {

  @ParameterizedTest
  @EnumSource(JournalBackend.class)
  void everyStatementIsIdempotentAndUnqualified(JournalBackend backend) {
    List<String> statements = JournalSchema.statements(backend);

    assertThat(statements)
        .hasSize(4)
        .allSatisfy(
            statement ->
                assertThat(statement)
                    .containsIgnoringCase("IF NOT EXISTS")
                    .doesNotContainIgnoringCase("public.")
                    .doesNotContainIgnoringCase("CONCURRENTLY")
                    .doesNotContainIgnoringCase("durable_state"));
    assertThat(statements.get(0))
        .containsIgnoringCase("TABLE IF NOT EXISTS")
        .contains("event_journal");
    assertThat(statements.get(1))
        .containsIgnoringCase("CREATE UNIQUE INDEX IF NOT EXISTS")
        .contains("event_journal_ordering_idx");
    assertThat(statements.get(2)).containsIgnoringCase("TABLE IF NOT EXISTS").contains("event_tag");
    assertThat(statements.get(3)).containsIgnoringCase("TABLE IF NOT EXISTS").contains("snapshot");
  }
}
