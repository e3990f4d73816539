package com.anycontact.innolicense.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.KeyVerification;
import com.anycontact.innolicense.license.LicenseVerifier;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseIssuerTest {

    static final Instant NOW = Instant.parse("2026-11-20T09:30:00.123456Z");
    static final Order ORDER = new Order(
            "SO-1001",
            new Customer("C-77", "Acme"),
            new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B"),
            new TreeSet<>(List.of("ACD", "IVR")),
            50,
            LocalDate.of(2026, 1, 31),
            ZoneId.of("Europe/Berlin"),
            1,
            14);

    @TempDir
    Path dir;

    final VendorSigningKey key = VendorSigningKey.generate("test-key");
    LicenseRegistry registry;

    @BeforeEach
    void openRegistry() {
        registry = LicenseRegistry.open(dir.resolve(LicenseRegistry.FILE_NAME));
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void issue_signsRecordsAndWritesTheSameKey() throws IOException {
        Path keyFile = dir.resolve("acme.lic");

        Issuance issuance = issuer().issue(ORDER, false, Optional.of(keyFile));

        RegisteredLicense issued = ((Issuance.Issued) issuance).issued();
        assertThat(Files.readString(keyFile)).isEqualTo(issued.keyText());
        assertThat(registry.list()).containsExactly(issued);
        assertThat(issued.license().issuedAt()).isEqualTo(Instant.parse("2026-11-20T09:30:00Z"));
        assertThat(new LicenseVerifier(TrustedKeys.of(List.of(key.publicKey()))).verify(issued.keyText()))
                .isEqualTo(new KeyVerification.Genuine(issued.license()));
    }

    @Test
    void issue_ofAnIssuedOrder_returnsThePreviousLicenseAndSignsNothing() throws IOException {
        RegisteredLicense first = ((Issuance.Issued) issuer().issue(ORDER, false, Optional.empty())).issued();

        Issuance again = issuer().issue(ORDER, false, Optional.empty());

        assertThat(again).isEqualTo(new Issuance.AlreadyIssued(first));
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void issue_takesTheNextSerialOfTheInstallation() throws IOException {
        issuer().issue(ORDER, false, Optional.empty());
        issuer().issue(ORDER, true, Optional.empty());

        Issuance third = issuer().issue(ORDER, true, Optional.empty());

        assertThat(((Issuance.Issued) third).issued().license().serial()).isEqualTo(3);
    }

    @Test
    void issue_whenTheRegistryInsertFails_leavesNoKeyFile() throws IOException {
        LicenseIssuer sameIdEveryTime = new LicenseIssuer(registry, key, clock(), () -> "L-SAME");
        sameIdEveryTime.issue(ORDER, false, Optional.empty());
        Path keyFile = dir.resolve("second.lic");

        assertThatThrownBy(() -> sameIdEveryTime.issue(ORDER, true, Optional.of(keyFile)))
                .isInstanceOf(RegistryException.class);

        assertThat(keyFile).doesNotExist();
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void issue_whenTheKeyFileCannotBeWritten_recordsNothing() {
        Path keyFile = dir.resolve("missing-directory").resolve("acme.lic");

        assertThatThrownBy(() -> issuer().issue(ORDER, false, Optional.of(keyFile)))
                .isInstanceOf(IOException.class);

        assertThat(registry.list()).isEmpty();
    }

    @Test
    void issue_whenTheKeyFileExists_replacesItWholeAndLeavesNoTemporaryFile() throws IOException {
        Path keyFile = dir.resolve("acme.lic");
        Files.writeString(keyFile, "an older key");

        issuer().issue(ORDER, false, Optional.of(keyFile));

        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN INNOACD LICENSE KEY-----");
        try (var files = Files.list(dir)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void renew_startsAtTheEndOfTheTerm_keepsTheTerms_andRecordsWhatItRenews() throws IOException {
        RegisteredLicense first = ((Issuance.Issued) issuer().issue(ORDER, false, Optional.empty())).issued();

        Issuance renewal = issuer().renew(first.licenseId(), OptionalInt.of(70), false, Optional.empty());

        RegisteredLicense renewed = ((Issuance.Issued) renewal).issued();
        assertThat(renewed.license().startDate()).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThat(renewed.license().serial()).isEqualTo(2);
        assertThat(renewed.license().seats()).isEqualTo(70);
        assertThat(renewed.license().termMonths()).isEqualTo(1);
        assertThat(renewed.license().graceDays()).isEqualTo(14);
        assertThat(renewed.license().orderId()).isEqualTo("SO-1001");
        assertThat(renewed.renewalOf()).contains(first.licenseId());
    }

    @Test
    void renew_ofAnUnknownOrRenewedLicense_signsNothing() throws IOException {
        RegisteredLicense first = ((Issuance.Issued) issuer().issue(ORDER, false, Optional.empty())).issued();
        RegisteredLicense renewed = ((Issuance.Issued)
                        issuer().renew(first.licenseId(), OptionalInt.empty(), false, Optional.empty()))
                .issued();

        assertThat(issuer().renew("L-UNKNOWN", OptionalInt.empty(), false, Optional.empty()))
                .isEqualTo(new Issuance.UnknownLicense("L-UNKNOWN"));
        assertThat(issuer().renew(first.licenseId(), OptionalInt.empty(), false, Optional.empty()))
                .isEqualTo(new Issuance.AlreadyRenewed(renewed));
        assertThat(registry.list()).hasSize(2);
    }

    @Test
    void newLicenseId_isLAndTwentySixCrockfordCharacters_andFresh() {
        assertThat(LicenseIssuer.newLicenseId()).matches("L-[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(LicenseIssuer.newLicenseId()).isNotEqualTo(LicenseIssuer.newLicenseId());
    }

    private LicenseIssuer issuer() {
        return new LicenseIssuer(registry, key, clock());
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
