package dev.tokenauthority.authority;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the authority's code, checked on every build: the package graph has no cycle,
 * only {@code storage} knows the database, and only the composition roots know {@code storage}.
 * Run alone with {@code mvn -pl authority-server -am verify -Dtest=ArchitectureTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tokenauthority.authority";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** A SQL statement's opening words (upper case, as this code base writes SQL) in a string or text block. */
    private static final Pattern SQL = Pattern.compile(
            "\"[^\"\\n]*\\b(SELECT\\b[^\"\\n]*\\bFROM|INSERT INTO|UPDATE \\w+ SET|DELETE FROM)\\b"
                    + "|\"\"\"\\s*\\n\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\b");

    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theRootPackageDependsOnNoOtherPackageOfTheAuthority() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".(*)..")
                .check(MAIN);
    }

    @Test
    void onlyTheCompositionRootsDependOnStorage() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".storage..", ROOT + ".server..", ROOT + ".config..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".storage..")
                .check(MAIN);
    }

    @Test
    void onlyStorageUsesJdbiOrJdbc() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".storage..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..")
                .check(MAIN);
    }

    @Test
    void noSqlOutsideStorage() throws IOException {
        Path sources = Path.of("src/main/java", ROOT.split("\\."));
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> withSql = files
                    .filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !sources.relativize(file).startsWith("storage"))
                    .filter(ArchitectureTest::containsSql)
                    .toList();
            assertThat(withSql).as("main sources outside storage that hold SQL").isEmpty();
        }
    }

    @Test
    void theSqlCheckFindsSql() {
        assertThat(SQL.matcher("x = \"SELECT id FROM sessions\";").find()).isTrue();
        assertThat(SQL.matcher("q = \"\"\"\n        UPDATE users SET disabled = TRUE\n\"\"\";").find()).isTrue();
        assertThat(SQL.matcher("x = \"SELECT id, email FROM users WHERE id = :id\";").find()).isTrue();
        assertThat(SQL.matcher("log(\"select a client from the list\");").find()).isFalse();
    }

    private static boolean containsSql(Path file) {
        try {
            return SQL.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
