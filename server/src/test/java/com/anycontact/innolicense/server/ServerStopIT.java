package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the real {@code innolicense server} process ends: 0 after a clean stop on SIGTERM (systemd's stop) and
 * SIGINT (Ctrl-C), and a start that fails leaves nothing in the data directory and prints one line.
 */
class ServerStopIT {

    @TempDir
    Path dir;

    private final java.util.List<ServerProcess> started = new java.util.ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (ServerProcess server : started) {
            server.kill();
        }
    }

    private ServerProcess start(Path data, String... more) throws IOException, InterruptedException {
        ServerProcess server = ServerProcess.start(data, java.util.Map.of(), more);
        started.add(server);
        return server;
    }

    @Test
    void sigterm_stopsCleanlyAndExits0() throws Exception {
        ServerProcess server = start(dir.resolve("data"));
        server.awaitListening();

        server.process().destroy(); // SIGTERM

        assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).as(server.output().toString()).isZero();
    }

    @Test
    void sigint_stopsCleanlyAndExits0() throws Exception {
        ServerProcess server = ServerProcess.startAsFromATerminal(dir.resolve("data"));
        started.add(server);
        server.awaitListening();

        Process kill = new ProcessBuilder(
                        "kill", "-INT", Long.toString(server.process().pid()))
                .start();
        assertThat(kill.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process().exitValue()).as(server.output().toString()).isZero();
    }

    @Test
    void aStartOnATakenPort_leavesNoDataDirectoryAndPrintsOneLine() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0)) {
            ServerProcess server = start(data, "--port", Integer.toString(taken.getLocalPort()));

            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> output = server.awaitOutput();
            assertThat(server.process().exitValue()).isEqualTo(3);
            assertThat(output).singleElement().asString().startsWith("error: cannot listen on");
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void aStartWithAShortPassword_leavesTheEmptyDataDirectoryEmpty() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        ServerProcess server = ServerProcess.start(data, java.util.Map.of("INNOLICENSE_ADMIN_PASSWORD", "short"));
        started.add(server);

        assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> output = server.awaitOutput();
        assertThat(server.process().exitValue()).isEqualTo(2);
        assertThat(output).singleElement().asString().contains("INNOLICENSE_ADMIN_PASSWORD");
        try (var files = Files.list(data)) {
            assertThat(files).isEmpty();
        }
    }
}
