package com.anycontact.innolicense.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseRegistryTest {

    static final InstallationId INSTALLATION = new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B");

    @TempDir
    Path dir;

    @Test
    void open_whenFileIsNew_createsAnEmptyRegistryAtTheCurrentSchemaVersion() throws Exception {
        Path file = dir.resolve(LicenseRegistry.FILE_NAME);
        try (LicenseRegistry registry = LicenseRegistry.open(file)) {
            assertThat(registry.list()).isEmpty();
        }

        assertThat(file).exists();
        assertThat(pragma(file, "user_version")).isEqualTo(LicenseRegistry.SCHEMA_VERSION);
        assertThat(pragma(file, "journal_mode")).isEqualTo("wal");
    }

    @Test
    void record_thenReopen_readsBackEveryField() throws Exception {
        Path file = dir.resolve(LicenseRegistry.FILE_NAME);
        RegisteredLicense first = entry("L-1", 1, "SO-1", Optional.empty());
        RegisteredLicense renewal = entry("L-2", 2, "SO-1", Optional.of("L-1"));
        try (LicenseRegistry registry = LicenseRegistry.open(file)) {
            registry.write(transaction -> {
                transaction.record(first);
                transaction.record(renewal);
                return null;
            });
        }

        try (LicenseRegistry registry = LicenseRegistry.open(file)) {
            assertThat(registry.list()).containsExactly(first, renewal);
            assertThat(registry.find("L-2")).contains(renewal);
            assertThat(registry.find("L-3")).isEmpty();
        }
    }

    @Test
    void transaction_answersSerialOrderAndRenewalQuestions() throws Exception {
        try (LicenseRegistry registry = LicenseRegistry.open(dir.resolve(LicenseRegistry.FILE_NAME))) {
            registry.write(transaction -> {
                assertThat(transaction.highestSerial(INSTALLATION)).isZero();
                transaction.record(entry("L-1", 1, "SO-1", Optional.empty()));
                transaction.record(entry("L-2", 2, "SO-2", Optional.empty()));
                transaction.record(entry("L-3", 3, "SO-1", Optional.of("L-1")));

                assertThat(transaction.highestSerial(INSTALLATION)).isEqualTo(3);
                assertThat(transaction.highestSerial(new InstallationId("IACD-0000-0000-0000-0000")))
                        .isZero();
                assertThat(transaction.latestOfOrder("SO-1"))
                        .map(RegisteredLicense::licenseId)
                        .contains("L-3");
                assertThat(transaction.latestOfOrder("SO-9")).isEmpty();
                assertThat(transaction.renewalOf("L-1"))
                        .map(RegisteredLicense::licenseId)
                        .contains("L-3");
                assertThat(transaction.renewalOf("L-2")).isEmpty();
                return null;
            });
        }
    }

    @Test
    void write_whenWorkThrows_recordsNothing() throws Exception {
        try (LicenseRegistry registry = LicenseRegistry.open(dir.resolve(LicenseRegistry.FILE_NAME))) {
            assertThatThrownBy(() -> registry.write(transaction -> {
                        transaction.record(entry("L-1", 1, "SO-1", Optional.empty()));
                        throw new IOException("disk full");
                    }))
                    .isInstanceOf(IOException.class)
                    .hasMessage("disk full");

            assertThat(registry.list()).isEmpty();
        }
    }

    @Test
    void record_whenSerialIsTakenForTheInstallation_failsAndRecordsNothing() throws Exception {
        try (LicenseRegistry registry = LicenseRegistry.open(dir.resolve(LicenseRegistry.FILE_NAME))) {
            registry.write(transaction -> {
                transaction.record(entry("L-1", 1, "SO-1", Optional.empty()));
                return null;
            });

            assertThatThrownBy(() -> registry.write(transaction -> {
                        transaction.record(entry("L-2", 1, "SO-2", Optional.empty()));
                        return null;
                    }))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("UNIQUE");
            assertThat(registry.list()).extracting(RegisteredLicense::licenseId).containsExactly("L-1");
        }
    }

    @Test
    void open_whenSchemaIsNewer_refusesToReadIt() throws Exception {
        Path file = dir.resolve(LicenseRegistry.FILE_NAME);
        LicenseRegistry.open(file).close();
        execute(file, "PRAGMA user_version = 99");

        assertThatThrownBy(() -> LicenseRegistry.open(file))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("newer innolicense");
    }

    @Test
    void open_whenFileIsAnotherDatabase_refusesIt() throws Exception {
        Path file = dir.resolve("other.db");
        execute(file, "CREATE TABLE customers (id TEXT)");

        assertThatThrownBy(() -> LicenseRegistry.open(file))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("not an innolicense registry");
    }

    @Test
    void open_whenFileIsNotADatabase_saysSo() throws Exception {
        Path file = dir.resolve(LicenseRegistry.FILE_NAME);
        Files.writeString(file, "this is a text file, not SQLite, and it is long enough to have a header");

        assertThatThrownBy(() -> LicenseRegistry.open(file))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(file.toString());
    }

    static RegisteredLicense entry(String licenseId, long serial, String orderId, Optional<String> renewalOf) {
        License license = new License(
                licenseId,
                serial,
                "vendor-2026",
                new Customer("C-77", "Acme, Inc."),
                orderId,
                INSTALLATION,
                new TreeSet<>(List.of("ACD", "IVR")),
                50,
                LocalDate.of(2026, 12, 1).plusYears(serial - 1),
                ZoneId.of("Europe/Berlin"),
                12,
                14,
                Instant.parse("2026-11-20T09:30:00Z"));
        return new RegisteredLicense(license, "-----BEGIN KEY " + licenseId + "-----", renewalOf);
    }

    private static Object pragma(Path file, String name) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                var result = statement.executeQuery("PRAGMA " + name)) {
            result.next();
            return result.getObject(1);
        }
    }

    private static void execute(Path file, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
