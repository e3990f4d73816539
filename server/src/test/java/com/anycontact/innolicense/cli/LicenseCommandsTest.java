package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseCommandsTest {

    static final String INSTALLATION = "IACD-7K3M-Q9XW-2D4F-HT6B";

    @TempDir
    static Path shared;

    static Path key;
    static Path publicKey;
    static Path otherPublicKey;

    @TempDir
    Path work;

    final CliRunner cli = new CliRunner();

    @BeforeAll
    static void issueTheExampleOrder() {
        CliRunner setup = new CliRunner();
        Path vendor = shared.resolve("vendor");
        Path other = shared.resolve("other-vendor");
        key = shared.resolve("acme.lic");
        publicKey = vendor.resolve("vendor-public-key.pem");
        otherPublicKey = other.resolve("vendor-public-key.pem");
        for (List<String> args : List.of(
                List.of("init", "--dir", vendor.toString()),
                List.of("init", "--dir", other.toString(), "--key-id", "someone-else"),
                List.of(
                        "issue",
                        "--dir",
                        vendor.toString(),
                        "--order",
                        CliRunner.EXAMPLE_ORDER.toString(),
                        "--out",
                        key.toString()))) {
            CliRunner.Result result = setup.runVendor(args.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.all()).isZero();
        }
    }

    @Test
    void inspect_showsEveryFieldMarkedUnverified() {
        CliRunner.Result result = cli.run("license", "inspect", key.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .startsWith("UNVERIFIED — signature not checked")
                .contains("format version  1")
                .contains("serial          1")
                .contains("customer        Acme (C-77)")
                .contains("order           SO-1001")
                .contains("installation    " + INSTALLATION)
                .contains("features        ACD, IVR")
                .contains("seats           50 concurrent users")
                .contains("start date      2026-12-01")
                .contains("time zone       Europe/Berlin")
                .contains("term            12 months")
                .contains("grace           14 days")
                .contains("issued at       2026-11-20T09:30:00Z")
                .contains("starts          2026-12-01 00:00 Europe/Berlin (UTC+01:00)")
                .contains("ends            2027-12-01 00:00 Europe/Berlin (UTC+01:00)")
                .contains("grace ends      2027-12-15 00:00 Europe/Berlin (UTC+01:00)");
    }

    @Test
    void inspect_readsStandardInputForDash() throws IOException {
        cli.stdin = Files.readString(key);

        CliRunner.Result result = cli.run("license", "inspect", "-", "--json");

        assertThat(result.exitCode()).isZero();
        JsonNode json = json(result.out());
        assertThat(json.get("verified").asBoolean()).isFalse();
        assertThat(json.get("note").asText()).isEqualTo("UNVERIFIED — signature not checked");
        assertThat(json.get("license").get("seats").asInt()).isEqualTo(50);
    }

    @Test
    void inspect_ofAMalformedKey_printsTheReasonAndFails() throws IOException {
        Path broken = work.resolve("broken.lic");
        Files.writeString(broken, "this is not a license key\n");

        CliRunner.Result result = cli.run("license", "inspect", broken.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("MALFORMED");
    }

    @Test
    void verify_insideTheTerm_isGenuineAndActive() {
        CliRunner.Result result = verify("--at", "2027-01-15T10:00:00Z");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out())
                .startsWith("GENUINE: signed by the trusted vendor key vk-")
                .contains("Status at 2027-01-15 11:00 Europe/Berlin (UTC+01:00)")
                .contains("state           ACTIVE")
                .contains("capacity        50 concurrent users")
                .contains("ends            2027-12-01 00:00 Europe/Berlin (UTC+01:00)")
                .contains("grace ends      2027-12-15 00:00 Europe/Berlin (UTC+01:00)")
                .contains("warnings        none");
    }

    @Test
    void verify_byDefault_evaluatesAtTheClock_beforeTheStartAsPending() {
        CliRunner.Result result = verify();

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Status at 2026-11-20 10:30 Europe/Berlin", "state           PENDING");
    }

    @Test
    void verify_afterTheEnd_isGrace_andAfterTheGraceEnd_isDemo_stillExitingZero() {
        CliRunner.Result grace = verify("--at", "2027-12-01");
        CliRunner.Result lastSecondOfGrace = verify("--at", "2027-12-14T22:59:59Z");
        CliRunner.Result demo = verify("--at", "2027-12-14T23:00:00Z");

        assertThat(grace.exitCode()).isZero();
        assertThat(grace.out()).contains("state           GRACE", "IN_GRACE");
        assertThat(lastSecondOfGrace.out()).contains("state           GRACE");
        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).contains("state           DEMO", "capacity        2 concurrent users", "DEMO_MODE");
    }

    @Test
    void verify_withTheRightInstallation_saysItIsBound() {
        CliRunner.Result result = verify("--installation", INSTALLATION.toLowerCase());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("bound to installation " + INSTALLATION);
    }

    @Test
    void verify_asJson_givesStateCapacityEndsAndWarnings() {
        CliRunner.Result result = verify("--at", "2027-11-25T12:00:00Z", "--json");

        assertThat(result.exitCode()).isZero();
        JsonNode json = json(result.out());
        assertThat(json.get("genuine").asBoolean()).isTrue();
        JsonNode status = json.get("status");
        assertThat(status.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(status.get("capacity").asInt()).isEqualTo(50);
        assertThat(status.get("end").asText()).isEqualTo("2027-12-01T00:00:00+01:00");
        assertThat(status.get("graceEnd").asText()).isEqualTo("2027-12-15T00:00:00+01:00");
        assertThat(status.get("warnings").get(0).get("code").asText()).isEqualTo("EXPIRES_WITHIN_7_DAYS");
    }

    @Test
    void verify_ofATamperedCopy_isRejected() throws IOException {
        String text = Files.readString(key);
        List<String> lines = text.lines().toList();
        String bodyLine = lines.get(2);
        char changed = bodyLine.charAt(10) == 'A' ? 'B' : 'A';
        Path tampered = work.resolve("tampered.lic");
        Files.writeString(
                tampered, text.replace(bodyLine, bodyLine.substring(0, 10) + changed + bodyLine.substring(11)));

        CliRunner.Result result =
                cli.run("license", "verify", "--public-key", publicKey.toString(), tampered.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsAnyOf("REJECTED: BAD_SIGNATURE", "REJECTED: MALFORMED");
    }

    @Test
    void verify_forAnotherInstallation_isRejectedAsWrongInstallation() {
        CliRunner.Result result = verify("--installation", "IACD-0000-0000-0000-0000", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode json = json(result.out());
        assertThat(json.get("genuine").asBoolean()).isFalse();
        assertThat(json.get("reason").asText()).isEqualTo("WRONG_INSTALLATION");
        assertThat(json.get("description").asText()).contains("another installation");
    }

    @Test
    void verify_withOnlyAnotherVendorsKey_isRejectedAsUnknownKeyId() {
        CliRunner.Result result =
                cli.run("license", "verify", "--public-key", otherPublicKey.toString(), key.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("REJECTED: UNKNOWN_KEY_ID");
    }

    @Test
    void verify_withSeveralKeys_findsTheOneThatSigned() {
        CliRunner.Result result = cli.run(
                "license",
                "verify",
                "--public-key",
                otherPublicKey.toString(),
                "--public-key",
                publicKey.toString(),
                key.toString());

        assertThat(result.exitCode()).isZero();
    }

    @Test
    void verify_ofAMissingFile_namesItWithoutAStackTrace() {
        Path missing = work.resolve("missing.lic");

        CliRunner.Result result =
                cli.run("license", "verify", "--public-key", publicKey.toString(), missing.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .isEqualTo("error: cannot read the license key file " + missing + ": no such file or directory"
                        + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void verify_withAFileThatIsNoPublicKey_saysSo() {
        CliRunner.Result result = cli.run("license", "verify", "--public-key", key.toString(), key.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: the public key file " + key + " is not a vendor public key: ");
    }

    @Test
    void verify_ofAHugeInput_isRejectedAsTooLarge() {
        cli.stdin = "A".repeat(1024 * 1024);

        CliRunner.Result result = cli.run("license", "verify", "--public-key", publicKey.toString(), "-");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("REJECTED: TOO_LARGE");
    }

    @Test
    void verify_withAnUnreadableInstant_isAUsageError() {
        CliRunner.Result result = verify("--at", "next tuesday");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--at", "'next tuesday' is not an instant such as", "Usage:");
    }

    @Test
    void verify_withABadInstallationId_isAUsageErrorShowingTheExpectedForm() {
        CliRunner.Result result = verify("--installation", "ACME-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'ACME-1' is not IACD- followed by four groups");
    }

    @Test
    void verify_withoutPublicKey_checksAgainstTheBuiltInProductionKeys_whichDidNotSignATestKey() {
        CliRunner.Result result = cli.run("license", "verify", key.toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.all()).contains("UNKNOWN_KEY_ID").contains("anycontact-2026-1");
    }

    @Test
    void verify_help_documentsTheExitCodes() {
        CliRunner.Result result = cli.run("license", "verify", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Exit codes:", "0", "genuine", "rejected", "usage error");
    }

    private CliRunner.Result verify(String... more) {
        List<String> args = new java.util.ArrayList<>(
                List.of("license", "verify", "--public-key", publicKey.toString(), key.toString()));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
