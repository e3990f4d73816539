package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's command, {@code innolicense server --demo}, as a real process: it prints where to sign in,
 * the printed password works, agents hold seats within seconds, and SIGTERM stops it cleanly and deletes its
 * temporary data directory.
 */
class DemoProcessIT {

    private static final Path JAR = Path.of("target", "innolicense.jar");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern OPEN = Pattern.compile("Open +http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern PASSWORD = Pattern.compile("user admin, password (\\S+)");
    private static final Pattern DATA = Pattern.compile("Data +(\\S+) \\(deleted when the server stops\\)");

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverDemo_showsAgentsHoldingSeatsWithinSeconds_andStopsCleanly() throws Exception {
        assertThat(JAR).as("run 'mvn package' first").exists();
        Path log = dir.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        JAR.toString(),
                        "server",
                        "--demo",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("INNOLICENSE_ADMIN_PASSWORD");
        builder.environment().remove("INNOLICENSE_BOOTSTRAP_TOKEN");
        builder.environment().remove("INNOLICENSE_DATA_DIR");
        process = builder.start();
        List<String> output = List.of();
        String port = null;
        String password = null;
        String data = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (data == null) {
            assertThat(System.nanoTime()).as("the banner, so far: %s", output).isLessThan(deadline);
            assertThat(process.isAlive()).as("exited early: %s", output).isTrue();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            output = Files.readAllLines(log);
            for (String line : output) {
                port = find(OPEN, line, port);
                password = find(PASSWORD, line, password);
                data = find(DATA, line, data);
            }
        }
        assertThat(port).as("%s", output).isNotNull();
        assertThat(password).as("%s", output).isNotNull();

        Api api = new Api(Integer.parseInt(port));
        Api.Reply login =
                api.postJson("/api/v1/session", null, "{\"username\": \"admin\", \"password\": \"" + password + "\"}");
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie").orElseThrow();
        Map<String, String> cookie = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
        assertThat(api.request("GET", "/api/v1/license", null, null, cookie)
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("ACTIVE");
        int held = 0;
        while (held == 0) {
            assertThat(System.nanoTime()).as("waiting for agents to hold seats").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            held = api.request("GET", "/api/v1/seats", null, null, cookie)
                    .json()
                    .path("leases")
                    .size();
        }

        process.destroy();
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        output = Files.readAllLines(log);
        String stopped = "innolicense server on port " + port + " stopped";
        assertThat(output).anySatisfy(text -> assertThat(text).contains(stopped));
        assertThat(Path.of(data)).doesNotExist();
    }

    private static String find(Pattern pattern, String line, String found) {
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? matcher.group(1) : found;
    }
}
