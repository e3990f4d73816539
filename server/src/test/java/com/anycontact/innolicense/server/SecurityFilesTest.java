package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11 item 7 against the real server on a real port: what the server writes into its data directory is its
 * owner's alone from the first byte, whatever the umask, and a looser directory or database found at start is
 * named in the log with the command that fixes it. (The store's {@code DataFilePermissionsTest} covers the same
 * rules on the database alone.)
 */
class SecurityFilesTest {

    @TempDir
    Path temp;

    private RunningServer running;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger serverLogger = (Logger) LoggerFactory.getLogger(LicenseServer.class);

    @AfterEach
    void stop() {
        serverLogger.detachAppender(log);
        if (running != null) {
            running.close();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFirstStart_makesTheDataDirectory0700_andEveryFileInIt0600_theGeneratedPasswordToo() throws IOException {
        Path data = temp.resolve("data");
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.empty())
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .build();

        running = RunningServer.start(data, new FakeTime(RunningServer.START), config);

        assertThat(running.api.get("/health/ready", null).status()).isEqualTo(200);
        assertThat(mode(data)).isEqualTo("rwx------");
        try (var files = Files.list(data)) {
            List<Path> made = files.toList();
            assertThat(made.stream().map(path -> path.getFileName().toString()))
                    .contains(
                            SqliteDatabase.FILE_NAME,
                            SqliteDatabase.FILE_NAME + "-wal",
                            SqliteDatabase.FILE_NAME + "-seats.lock",
                            LicenseServer.GENERATED_PASSWORD_FILE);
            for (Path file : made) {
                assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aStartOnALooserDataDirectory_logsEachPathWithItsChmod_andStillServes() throws IOException {
        Path data = Files.createDirectory(
                temp.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        RunningServer.start(data).close();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path database = data.resolve(SqliteDatabase.FILE_NAME);
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
        log.start();
        serverLogger.addAppender(log);

        running = RunningServer.start(data);

        assertThat(running.api.get("/health/ready", null).status()).isEqualTo(200);
        assertThat(warnings())
                .anySatisfy(line -> assertThat(line)
                        .startsWith(data.toAbsolutePath() + " is rwxr-xr-x")
                        .endsWith("chmod 700 " + data.toAbsolutePath()))
                .anySatisfy(line -> assertThat(line)
                        .startsWith(database.toAbsolutePath() + " is rw-r--r--")
                        .endsWith("chmod 600 " + database.toAbsolutePath()));
        assertThat(mode(data))
                .as("the server changes nothing of the operator's")
                .isEqualTo("rwxr-xr-x");
    }
}
