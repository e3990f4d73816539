package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code innolicense server} refusals that happen before anything listens: the retired --trust, a demo on real
 * data or a cluster database, a database URL that is not one.
 */
class ServerCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    @Test
    void theRetiredTrustFlag_isAUsageError_sayingToUseDevelopmentTrust() throws IOException {
        Path key = Files.writeString(dir.resolve("own.pem"), "not even read");

        CliRunner.Result result = cli.run("server", "--trust", key.toString(), "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err())
                .contains("error: --trust is no longer accepted")
                .contains("production keys are built into the server")
                .contains("--development-trust PEM");
        assertThat(dir.resolve("innolicense.db")).doesNotExist();
    }

    @Test
    void theDemo_onADataDirectoryThatHoldsAnInstallation_isRefused_andLeavesItUntouched() throws IOException {
        Path database = Files.writeString(dir.resolve("innolicense.db"), "an installation's database");

        CliRunner.Result result = cli.run("server", "--demo", "--port", "0", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err())
                .contains("--demo never runs on an existing installation")
                .contains(dir.toString());
        assertThat(Files.readString(database)).isEqualTo("an installation's database");
    }

    @Test
    void theDemo_withAClusterDatabase_isAUsageError() {
        CliRunner.Result result =
                cli.run("server", "--demo", "--port", "0", "--database", "postgresql://u@db.example.com/innolicense");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err())
                .contains("--demo runs on a throwaway data directory")
                .contains("--database");
    }

    @Test
    void aBadDatabaseUrl_isAUsageError_thatDoesNotRepeatThePassword() {
        CliRunner.Result result =
                cli.run("server", "--database", "mysql://root:hunter2@db/x", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("error: database (from --database): is not a PostgreSQL URL");
        assertThat(result.all()).doesNotContain("hunter2");
        assertThat(dir.resolve("innolicense.db")).doesNotExist();
    }

    @Test
    void theUsageRetentionFlags_reachTheLoader_whichNamesTheFlagItRefuses() {
        CliRunner.Result result =
                cli.run("server", "--usage-minute-retention", "12h", "--port", "0", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("usage-minute-retention (from --usage-minute-retention)");
        assertThat(dir.resolve("innolicense.db")).doesNotExist();
    }

    @Test
    void serverHelp_namesDevelopmentTrust_andNotTheRetiredFlag() {
        CliRunner.Result result = cli.run("server", "--help");

        assertThat(result.out()).contains("--development-trust=PEM").doesNotContain("--trust=");
    }
}
