package dev.tokenauthority.sidecar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape of the sidecar's code, checked on every build: its package graph has no cycle, and it
 * shares nothing with the authority but the wire API. Run alone with
 * {@code mvn -pl validator-sidecar -am verify -Dtest=ArchitectureTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tokenauthority.sidecar";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theSidecarNeverLinksTheAuthority() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.tokenauthority.authority..").check(MAIN);
    }
}
