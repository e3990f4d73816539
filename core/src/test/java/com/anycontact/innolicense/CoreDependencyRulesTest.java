package com.anycontact.innolicense;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core is the domain: no SQL, no connection pool, no migrations, no HTTP. */
class CoreDependencyRulesTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.anycontact.innolicense");

    @Test
    void core_dependsOnNoDatabaseOrHttpLibrary() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..", "org.sqlite..", "io.javalin..")
                .check(CORE);
    }

    @Test
    void seatLedger_dependsOnTheJdkAndItsOwnPackageOnly() {
        noClasses()
                .that()
                .resideInAPackage("com.anycontact.innolicense.seat..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("java..", "com.anycontact.innolicense.seat..")
                .check(CORE);
    }

    @Test
    void usage_dependsOnTheJdkAndItsOwnPackageOnly() {
        noClasses()
                .that()
                .resideInAPackage("com.anycontact.innolicense.usage..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("java..", "com.anycontact.innolicense.usage..")
                .check(CORE);
    }
}
