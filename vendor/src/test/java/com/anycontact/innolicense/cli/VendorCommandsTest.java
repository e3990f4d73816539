package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.KeyVerification;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseVerifier;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorCommandsTest {

    static final String ORDER = "SO-1001";

    @TempDir
    static Path initialized;

    @TempDir
    Path work;

    final CliRunner cli = new CliRunner();
    Path dir;

    @BeforeAll
    static void createOneVendorKeyForAllTests() {
        CliRunner.Result init = new CliRunner()
                .run("init", "--dir", initialized.resolve("vendor").toString());
        assertThat(init.exitCode()).as(init.all()).isZero();
    }

    @BeforeEach
    void copyTheVendorDirectory() throws IOException {
        dir = work.resolve("vendor");
        Files.createDirectory(dir);
        try (Stream<Path> files = Files.list(initialized.resolve("vendor"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void init_createsPrivateKeyWithMode0600_publicKey_andRegistry_andSaysWhatToDoWithThem() throws IOException {
        Path fresh = work.resolve("fresh");

        CliRunner.Result result = cli.run("init", "--dir", fresh.toString(), "--key-id", "acme-2026");

        assertThat(result.exitCode()).isZero();
        Path privateKey = fresh.resolve("vendor-signing-key.pem");
        Path publicKey = fresh.resolve("vendor-public-key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(privateKey))
                .contains("ENCRYPTED PRIVATE KEY")
                .doesNotContain(CliRunner.PASSPHRASE);
        assertThat(VendorPublicKey.fromPem(Files.readString(publicKey)).keyId()).isEqualTo("acme-2026");
        assertThat(fresh.resolve("registry.db")).exists();
        assertThat(result.out())
                .contains("acme-2026", privateKey.toString(), publicKey.toString(), "--development-trust")
                .doesNotContain(CliRunner.PASSPHRASE);
    }

    @Test
    void init_whenAKeyExists_refusesAndLeavesItAsItWas() throws IOException {
        String before = Files.readString(dir.resolve("vendor-signing-key.pem"));

        CliRunner.Result result = cli.run("init", "--dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("vendor-signing-key.pem already exists", "never overwrites");
        assertThat(Files.readString(dir.resolve("vendor-signing-key.pem"))).isEqualTo(before);
    }

    @Test
    void init_whenPassphraseIsShort_refusesWithoutCreatingFiles() {
        cli.variables.put(Passphrases.VARIABLE, "abc1234");
        Path fresh = work.resolve("fresh");

        CliRunner.Result result = cli.run("init", "--dir", fresh.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("too short", "at least 8 characters").doesNotContain("abc1234");
        assertThat(fresh.resolve("vendor-signing-key.pem")).doesNotExist();
    }

    @Test
    void init_whenPassphraseIsEmpty_refuses() {
        cli.variables.put(Passphrases.VARIABLE, "");

        CliRunner.Result result = cli.run("init", "--dir", work.resolve("fresh").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("is empty");
    }

    @Test
    void init_withoutVariable_asksTwiceOnTheTerminal() {
        cli.variables.remove(Passphrases.VARIABLE);
        cli.terminal = true;
        cli.promptAnswers.addAll(List.of("a long passphrase", "a long passphrase"));
        Path fresh = work.resolve("fresh");

        CliRunner.Result result = cli.run("init", "--dir", fresh.toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(cli.prompts).hasSize(2);
        assertThat(result.all()).doesNotContain("a long passphrase");
    }

    @Test
    void init_whenTheTwoAnswersDiffer_createsNothing() {
        cli.variables.remove(Passphrases.VARIABLE);
        cli.terminal = true;
        cli.promptAnswers.addAll(List.of("a long passphrase", "a long passphrasf"));
        Path fresh = work.resolve("fresh");

        CliRunner.Result result = cli.run("init", "--dir", fresh.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("differ");
        assertThat(fresh.resolve("vendor-signing-key.pem")).doesNotExist();
    }

    @Test
    void init_withoutVariableOrTerminal_saysHowToGiveThePassphrase() {
        cli.variables.remove(Passphrases.VARIABLE);

        CliRunner.Result result = cli.run("init", "--dir", work.resolve("fresh").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("no passphrase", Passphrases.VARIABLE);
    }

    @Test
    void issue_ofTheExampleOrder_writesAKeyTheVerifierAcceptsWithTheInitializedPublicKey() throws IOException {
        Path key = work.resolve("acme.lic");

        CliRunner.Result result = issue("--out", key.toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("Issued license L-", "(serial 1)", "Acme (C-77)", ORDER, key.toString());
        KeyVerification verification =
                verifier().verify(Files.readString(key), new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B"));
        assertThat(verification).isInstanceOf(KeyVerification.Genuine.class);
        License license = ((KeyVerification.Genuine) verification).license();
        assertThat(license.serial()).isEqualTo(1);
        assertThat(license.licenseId()).matches("L-[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(license.features()).containsExactly("ACD", "IVR");
        assertThat(license.seats()).isEqualTo(50);
        assertThat(license.termMonths()).isEqualTo(12);
        assertThat(license.graceDays()).isEqualTo(14);
        assertThat(license.issuedAt()).isEqualTo(CliRunner.NOW);
    }

    @Test
    void issue_withoutOut_printsOnlyTheKeyOnStandardOutput() {
        CliRunner.Result result = issue();

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .startsWith("-----BEGIN INNOACD LICENSE KEY-----")
                .endsWith("-----END INNOACD LICENSE KEY-----\n");
        assertThat(verifier().verify(result.out())).isInstanceOf(KeyVerification.Genuine.class);
        assertThat(result.err()).contains("Issued license", "Recorded in");
    }

    @Test
    void issue_ofAnOrderFromStandardInput_works() throws IOException {
        cli.stdin = Files.readString(CliRunner.EXAMPLE_ORDER);

        CliRunner.Result result = cli.run("issue", "--dir", dir.toString(), "--order", "-");

        assertThat(result.exitCode()).as(result.all()).isZero();
    }

    @Test
    void issue_ofTheSameOrderTwice_isRefused_andReissueGivesSerial2() throws IOException {
        CliRunner.Result first = issue("--out", work.resolve("1.lic").toString());
        String firstId = only(list()).get("licenseId").asText();

        CliRunner.Result second = issue("--out", work.resolve("2.lic").toString());
        CliRunner.Result reissued = issue("--out", work.resolve("3.lic").toString(), "--reissue");

        assertThat(first.exitCode()).isZero();
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err())
                .contains("order SO-1001 was already issued as license " + firstId + " (serial 1) on " + CliRunner.NOW
                        + "; use --reissue to issue it again");
        assertThat(work.resolve("2.lic")).doesNotExist();
        assertThat(reissued.exitCode()).isZero();
        assertThat(reissued.out()).contains("(serial 2)");
        assertThat(list()).hasSize(2);
    }

    @Test
    void issue_ofAnOrderWithManyBadFields_reportsEachFieldAndIssuesNothing() throws IOException {
        Path order = work.resolve("bad.json");
        Files.writeString(order, """
                {"orderId": "SO-2", "customer": {"id": "C-1"}, "installationId": "IACD-XXXX",
                 "features": ["ACD", "TELEPATHY"], "seats": 0, "startDate": "2026-13-01",
                 "timeZone": "Europe/Berlni", "termMonths": 200, "colour": "blue"}
                """);

        CliRunner.Result result = cli.run("issue", "--dir", dir.toString(), "--order", order.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .contains("8 problems:")
                .contains("customer.name: is missing")
                .contains("installationId: must be IACD- followed by four groups")
                .contains("features[1]: \"TELEPATHY\" is not in the product catalog; valid codes: ACD,")
                .contains("seats: must be a whole number from 1 to 100000, was 0")
                .contains("startDate: is not a day of the calendar, was \"2026-13-01\"")
                .contains("timeZone: must be a time zone region ID")
                .contains("termMonths: must be a whole number from 1 to 120, was 200")
                .contains("colour: is not a field of an order")
                .contains("Nothing was issued");
        assertThat(list()).isEmpty();
    }

    @Test
    void issue_withAWrongPassphrase_failsAndRecordsNothing() {
        cli.variables.put(Passphrases.VARIABLE, "not the passphrase");

        CliRunner.Result result = issue("--out", work.resolve("acme.lic").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .contains("cannot open the signing key", "wrong passphrase")
                .doesNotContain("Exception");
        assertThat(work.resolve("acme.lic")).doesNotExist();
        assertThat(list()).isEmpty();
    }

    @Test
    void issue_whenTheKeyFileCannotBeWritten_recordsNothing() {
        Path unwritable = work.resolve("no-such-directory").resolve("acme.lic");

        CliRunner.Result result = issue("--out", unwritable.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("cannot write the license key " + unwritable, "nothing was issued");
        assertThat(list()).isEmpty();
    }

    @Test
    void issue_whenTheOrderFileIsMissing_namesItWithoutAStackTrace() {
        CliRunner.Result result = cli.run(
                "issue",
                "--dir",
                dir.toString(),
                "--order",
                work.resolve("nope.json").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .isEqualTo("error: cannot read the order file " + work.resolve("nope.json")
                        + ": no such file or directory" + System.lineSeparator());
    }

    @Test
    void issue_inADirectoryWithoutKey_saysToRunInit() {
        CliRunner.Result result = cli.run(
                "issue", "--dir", work.resolve("empty").toString(), "--order", CliRunner.EXAMPLE_ORDER.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("there is no signing key", "innolicense-vendor init --dir");
    }

    @Test
    void list_showsAnAlignedTable() {
        issue("--out", work.resolve("1.lic").toString());
        issue("--out", work.resolve("2.lic").toString(), "--reissue");

        CliRunner.Result result = cli.run("list", "--dir", dir.toString());

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("LICENSE").contains("SERIAL", "ORDER", "CUSTOMER", "INSTALLATION", "SEATS");
        assertThat(lines.get(1))
                .contains(
                        "SO-1001",
                        "Acme (C-77)",
                        "IACD-7K3M-Q9XW-2D4F-HT6B",
                        "ACD,IVR",
                        "2026-12-01",
                        "2027-12-01",
                        "Europe/Berlin");
        int seatsColumn = lines.get(0).indexOf("SEATS");
        assertThat(lines.get(1).substring(seatsColumn)).startsWith("50 ");
        assertThat(lines.get(2).substring(seatsColumn)).startsWith("50 ");
    }

    @Test
    void list_asJson_holdsEveryFieldAndTheKeyText() throws IOException {
        issue("--out", work.resolve("1.lic").toString());

        JsonNode license = only(list());

        assertThat(license.get("serial").asLong()).isEqualTo(1);
        assertThat(license.get("orderId").asText()).isEqualTo(ORDER);
        assertThat(license.get("customer").get("name").asText()).isEqualTo("Acme");
        assertThat(license.get("features")).hasSize(2);
        assertThat(license.get("startDate").asText()).isEqualTo("2026-12-01");
        assertThat(license.get("end").asText()).isEqualTo("2027-12-01T00:00:00+01:00");
        assertThat(license.get("renewalOf").isNull()).isTrue();
        assertThat(license.get("keyText").asText()).isEqualTo(Files.readString(work.resolve("1.lic")));
    }

    @Test
    void list_ofAnEmptyRegistry_saysSo() {
        CliRunner.Result result = cli.run("list", "--dir", dir.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No licenses issued yet." + System.lineSeparator());
    }

    @Test
    void list_withoutRegistry_saysToRunInit() {
        CliRunner.Result result = cli.run("list", "--dir", work.resolve("empty").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("there is no registry");
        assertThat(work.resolve("empty")).doesNotExist();
    }

    @Test
    void renew_startsWhereThePreviousLicenseEnds_withTheNextSerial() throws IOException {
        issue("--out", work.resolve("1.lic").toString());
        String previousId = only(list()).get("licenseId").asText();
        Path renewal = work.resolve("2.lic");

        CliRunner.Result result = cli.run(
                "renew",
                "--dir",
                dir.toString(),
                "--license",
                previousId,
                "--seats",
                "80",
                "--out",
                renewal.toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("Renewed license " + previousId + " as L-", "(serial 2)");
        License renewed = ((KeyVerification.Genuine) verifier().verify(Files.readString(renewal))).license();
        assertThat(renewed.serial()).isEqualTo(2);
        assertThat(renewed.startDate()).isEqualTo(LocalDate.of(2027, 12, 1));
        assertThat(renewed.seats()).isEqualTo(80);
        assertThat(renewed.orderId()).isEqualTo(ORDER);
        assertThat(renewed.features()).containsExactly("ACD", "IVR");
        assertThat(renewed.timeZone().getId()).isEqualTo("Europe/Berlin");
        assertThat(list().get(1).get("renewalOf").asText()).isEqualTo(previousId);
    }

    @Test
    void renew_ofALicenseRenewedBefore_isRefusedUnlessReissued() throws IOException {
        issue("--out", work.resolve("1.lic").toString());
        String previousId = only(list()).get("licenseId").asText();
        cli.run(
                "renew",
                "--dir",
                dir.toString(),
                "--license",
                previousId,
                "--out",
                work.resolve("2.lic").toString());

        CliRunner.Result again = cli.run(
                "renew",
                "--dir",
                dir.toString(),
                "--license",
                previousId,
                "--out",
                work.resolve("3.lic").toString());
        CliRunner.Result reissued = cli.run(
                "renew",
                "--dir",
                dir.toString(),
                "--license",
                previousId,
                "--reissue",
                "--out",
                work.resolve("3.lic").toString());

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("was already renewed as", "--reissue");
        assertThat(reissued.exitCode()).isZero();
        assertThat(reissued.out()).contains("(serial 3)");
    }

    @Test
    void renew_ofAnUnknownLicense_saysSo() {
        CliRunner.Result result = cli.run("renew", "--dir", dir.toString(), "--license", "L-NOPE");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("there is no license L-NOPE in", "vendor list");
    }

    @Test
    void renew_withSeatsOutOfRange_isAUsageError() {
        CliRunner.Result result = cli.run("renew", "--dir", dir.toString(), "--license", "L-1", "--seats", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--seats", "from 1 to 100000", "Usage:", "--help");
    }

    @Test
    void anUnknownOption_printsTheUsageHintWithoutAStackTrace() {
        CliRunner.Result result = cli.run("issue", "--dir", dir.toString(), "--order", "x.json", "--colour", "blue");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains(
                        "error: Unknown options: '--colour', 'blue'",
                        "Usage: innolicense-vendor issue",
                        "Try 'innolicense-vendor issue --help'")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void help_listsTheExitCodes() {
        CliRunner.Result result = cli.run("issue", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Exit codes:", "usage error", "could not run");
    }

    private CliRunner.Result issue(String... more) {
        List<String> args = new ArrayList<>(
                List.of("issue", "--dir", dir.toString(), "--order", CliRunner.EXAMPLE_ORDER.toString()));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private List<JsonNode> list() {
        CliRunner.Result result = cli.run("list", "--dir", dir.toString(), "--json");
        assertThat(result.exitCode()).as(result.all()).isZero();
        try {
            JsonNode array = new ObjectMapper().readTree(result.out());
            List<JsonNode> entries = new ArrayList<>();
            array.forEach(entries::add);
            return entries;
        } catch (IOException e) {
            throw new AssertionError(result.out(), e);
        }
    }

    private static JsonNode only(List<JsonNode> entries) {
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    private LicenseVerifier verifier() {
        try {
            return new LicenseVerifier(TrustedKeys.of(
                    List.of(VendorPublicKey.fromPem(Files.readString(dir.resolve("vendor-public-key.pem"))))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
