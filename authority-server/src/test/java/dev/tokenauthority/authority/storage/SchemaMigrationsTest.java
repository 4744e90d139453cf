package dev.tokenauthority.authority.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.authority.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both databases reach the same schema version, including versions whose statements differ by
 * database (db/vendor/h2 and db/vendor/postgresql), and a database migrated before a script's
 * comment was reworded still starts.
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
            assertThat(versions).as("every migration shipped for %s, in order", kind)
                    .containsExactlyElementsOf(shippedVersions(kind)).contains("7");
            if (kind == TestDatabase.Kind.POSTGRESQL) {
                String index = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT indexdef FROM pg_indexes WHERE indexname = 'refresh_tokens_session'")
                        .mapTo(String.class).one());
                assertThat(index).endsWith("(session_id, status)");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aDatabaseThatAppliedAScriptBeforeItsCommentWasRewordedStillStarts(TestDatabase.Kind kind) {
        RewordedMigrations.Reworded v2 = RewordedMigrations.REWORDED.get(0);
        try (TestDatabase test = TestDatabase.create(kind);
             Database first = Database.open(test.url(), test.user(), test.password(), 2)) {
            assertThat(checksumOf(first, v2.version())).as("the current text's checksum").isEqualTo(v2.currentChecksum());
            setChecksum(first, v2.version(), v2.releasedChecksum());

            try (Database restarted = Database.open(test.url(), test.user(), test.password(), 2)) {
                assertThat(checksumOf(restarted, v2.version())).isEqualTo(v2.currentChecksum());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anyOtherChecksumMismatchStillStopsTheStart(TestDatabase.Kind kind) {
        try (TestDatabase test = TestDatabase.create(kind);
             Database first = Database.open(test.url(), test.user(), test.password(), 2)) {
            setChecksum(first, "2", 42);

            assertThatThrownBy(() -> Database.open(test.url(), test.user(), test.password(), 2).close())
                    .hasStackTraceContaining("checksum mismatch");
            assertThat(checksumOf(first, "2")).isEqualTo(42);
        }
    }

    private static int checksumOf(Database database, String version) {
        return database.jdbi().withHandle(h -> h.createQuery(
                "SELECT \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" = :v")
                .bind("v", version).mapTo(Integer.class).one());
    }

    private static void setChecksum(Database database, String version, int checksum) {
        database.jdbi().useHandle(h -> h.createUpdate(
                "UPDATE \"flyway_schema_history\" SET \"checksum\" = :c WHERE \"version\" = :v")
                .bind("c", checksum).bind("v", version).execute());
    }

    /** The versions of the migration scripts on the classpath for {@code kind}: common ones and its own. */
    private static List<String> shippedVersions(TestDatabase.Kind kind) throws Exception {
        Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
        TreeSet<Integer> versions = new TreeSet<>();
        for (String folder : List.of("db/migration", "db/vendor/" + kind.name().toLowerCase(Locale.ROOT))) {
            try (var files = Files.list(Path.of(SchemaMigrationsTest.class.getClassLoader().getResource(folder).toURI()))) {
                files.map(f -> name.matcher(f.getFileName().toString())).filter(Matcher::matches)
                        .forEach(m -> versions.add(Integer.parseInt(m.group(1))));
            }
        }
        return versions.stream().map(String::valueOf).toList();
    }
}
