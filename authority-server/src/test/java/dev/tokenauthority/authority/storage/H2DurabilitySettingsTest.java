package dev.tokenauthority.authority.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every H2 URL opens with each commit written to the file before it returns, unless the operator's URL
 * says otherwise. The crash itself is proven with real processes by the sidecar module's
 * {@code RevocationDurabilityProcessTest}.
 */
class H2DurabilitySettingsTest {

    @TempDir
    Path dir;

    @Test
    void anH2FileDatabaseOpensWithoutAWriteDelayAndAppendingEveryChunk() {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("authority"), null, null, 2)) {
            // H2 lists a setting once per place it is kept; every one must say the same.
            assertThat(setting(database, "WRITE_DELAY")).isNotEmpty().containsOnly("0");
            assertThat(setting(database, "REUSE_SPACE")).isNotEmpty().allMatch("false"::equalsIgnoreCase);
        }
    }

    private static List<String> setting(Database database, String name) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT setting_value FROM information_schema.settings WHERE setting_name = :name")
                .bind("name", name).mapTo(String.class).list());
    }

    @Test
    void theDurableSettingsAreAddedToAnyH2Url() {
        assertThat(Database.effectiveUrl("jdbc:h2:file:/data/authority"))
                .isEqualTo("jdbc:h2:file:/data/authority;WRITE_DELAY=0;REUSE_SPACE=FALSE;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.effectiveUrl("jdbc:h2:./data/authority;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:./data/authority;AUTO_SERVER=TRUE"
                        + ";WRITE_DELAY=0;REUSE_SPACE=FALSE;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void anInMemoryOrServerDatabaseGetsNoFileSettings() {
        assertThat(Database.effectiveUrl("jdbc:h2:mem:authority;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:authority;DB_CLOSE_DELAY=-1;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.effectiveUrl("jdbc:h2:tcp://db:9092/authority"))
                .isEqualTo("jdbc:h2:tcp://db:9092/authority;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void anExplicitSettingInTheOperatorsUrlWins() {
        assertThat(Database.effectiveUrl("jdbc:h2:file:/data/authority;write_delay=500;DB_CLOSE_ON_EXIT=TRUE"))
                .isEqualTo("jdbc:h2:file:/data/authority;write_delay=500;DB_CLOSE_ON_EXIT=TRUE;REUSE_SPACE=FALSE");
        assertThat(Database.effectiveUrl("jdbc:h2:file:/data/authority;REUSE_SPACE=TRUE"))
                .isEqualTo("jdbc:h2:file:/data/authority;REUSE_SPACE=TRUE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void aPostgresqlUrlIsLeftAsItIs() {
        assertThat(Database.effectiveUrl("jdbc:postgresql://db:5432/tokens"))
                .isEqualTo("jdbc:postgresql://db:5432/tokens");
    }
}
