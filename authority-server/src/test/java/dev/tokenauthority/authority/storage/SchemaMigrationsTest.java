package dev.tokenauthority.authority.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.authority.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both databases reach the same schema version, including versions whose statements differ by
 * database (db/vendor/h2 and db/vendor/postgresql).
 */
class SchemaMigrationsTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void everyVersionAppliesOnBothDatabases(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase test = TestDatabase.create(kind);
             Database database = Database.open(test.url(), test.user(), test.password(), 2)) {
            List<String> versions = database.jdbi().withHandle(h -> h.createQuery("""
                    SELECT "version" FROM "flyway_schema_history"
                    WHERE "success" AND "version" IS NOT NULL ORDER BY "installed_rank"
                    """).mapTo(String.class).list());
            assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6", "9");
            if (kind == TestDatabase.Kind.POSTGRESQL) {
                String index = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT indexdef FROM pg_indexes WHERE indexname = 'refresh_tokens_session'")
                        .mapTo(String.class).one());
                assertThat(index).endsWith("(session_id, status)");
            }
        }
    }
}
