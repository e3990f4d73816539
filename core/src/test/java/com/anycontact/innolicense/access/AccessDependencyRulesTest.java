package com.anycontact.innolicense.access;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Access control in core is the domain: the JDK, its own package and core's monotonic time, nothing else. */
class AccessDependencyRulesTest {

    private static final JavaClasses ACCESS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.anycontact.innolicense.access");

    @Test
    void access_dependsOnTheJdkItsOwnPackageAndMonotonicTimeOnly() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "java..", "com.anycontact.innolicense.access..", "com.anycontact.innolicense.time..")
                .check(ACCESS);
    }
}
