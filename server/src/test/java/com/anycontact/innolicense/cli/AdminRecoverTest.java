package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.Argon2PasswordHasher;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import com.anycontact.innolicense.store.sqlite.SqliteAuditLog;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteUserStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin recover}: a new password set offline, audited, and refused while a server holds the data. */
class AdminRecoverTest {

    private static final String NEW_PASSWORD = "the recovered admin password";

    @TempDir
    Path data;

    private final CliRunner cli = new CliRunner();

    private LicenseServer openServer() {
        return LicenseServer.open(
                ServerConfig.of("127.0.0.1", 0, data, List.of()).toBuilder()
                        .adminPassword(Optional.of("the lost admin password"))
                        .bootstrapToken(Optional.empty())
                        .build(),
                InstantSource.system(),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void recover_setsTheNewPasswordAndAuditsIt() {
        openServer().close();
        cli.variables.put("INNOLICENSE_NEW_USER_PASSWORD", NEW_PASSWORD);

        CliRunner.Result result = cli.run("admin", "recover", "--data-dir", data.toString(), "--user", "admin");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.err()).contains("Set a new password for user 'admin'").doesNotContain(NEW_PASSWORD);
        try (SqliteDatabase database = SqliteDatabase.open(data)) {
            String hash =
                    new SqliteUserStore(database).find("admin").orElseThrow().passwordHash();
            assertThat(new Argon2PasswordHasher().verify(NEW_PASSWORD.toCharArray(), hash))
                    .isTrue();
            assertThat(new SqliteAuditLog(database)
                            .find(AuditQuery.newest(10).withType(AuditEvent.Type.PASSWORD_CHANGED)))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.actor()).startsWith("recover (offline, OS user ");
                        assertThat(event.detail()).isEqualTo("user admin");
                    });
        }
    }

    @Test
    void recover_whileAServerHoldsTheDataDirectory_isRefused() {
        cli.variables.put("INNOLICENSE_NEW_USER_PASSWORD", NEW_PASSWORD);
        try (LicenseServer running = openServer()) {
            CliRunner.Result result = cli.run("admin", "recover", "--data-dir", data.toString(), "--user", "admin");

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.err()).contains("a license server is running on", "stop it first");
        }
    }

    @Test
    void recover_ofAnUnknownUser_isRefusedAndNamesTheUsers() {
        openServer().close();
        cli.variables.put("INNOLICENSE_NEW_USER_PASSWORD", NEW_PASSWORD);

        CliRunner.Result result = cli.run("admin", "recover", "--data-dir", data.toString(), "--user", "bob");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no user 'bob'", "the users are: admin");
    }

    @Test
    void recover_withoutADatabase_saysWhereItLooked() {
        CliRunner.Result result = cli.run(
                "admin", "recover", "--data-dir", data.resolve("nothing").toString(), "--user", "admin");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("no database in");
    }
}
