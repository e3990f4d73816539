package com.anycontact.innolicense.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster benchmark's load shapes, measuring nothing: two real server nodes on a fresh database of a real
 * PostgreSQL beside the row-lock peer, a few pairs each, then a handful of agents renewing across the nodes.
 * Skipped, loudly, without {@code INNOLICENSE_TEST_POSTGRES_URL} or without the server's jar.
 */
class ClusterRunTest {

    private static final String POSTGRES = System.getenv("INNOLICENSE_TEST_POSTGRES_URL");
    private static final Path SERVER_JAR = Path.of("../server/target/innolicense.jar");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_withTheThinTier_andEveryClientOnTheFirstNode_printsTheirRowsWithoutErrors(@TempDir Path work)
            throws Exception {
        skipUnlessPostgresAndServer();

        int code = ClusterRun.run(
                new String[] {
                    "--postgres-url",
                    POSTGRES,
                    "--nodes",
                    "2",
                    "--first-node-only",
                    "--thin-tiers",
                    "2",
                    "--rounds",
                    "1",
                    "--operations",
                    "2,5",
                    "--clients",
                    "1,3",
                    "--arbiter-warmup",
                    "1s",
                    "--renewal-agents",
                    "0",
                    "--server-jar",
                    SERVER_JAR.toString(),
                    "--server-heap",
                    "256m",
                    "--work-dir",
                    work.toString(),
                    "--pid-dir",
                    work.resolve("pids").toString()
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String markdown = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(markdown.lines()
                        .filter(line -> line.matches("\\| (postgres|cluster-2|thin-2) \\| power loss \\| [13] \\|.*")))
                .as(markdown)
                .hasSize(6)
                .allSatisfy(row -> assertThat(row).endsWith("| 0 |"));
        try (var pids = Files.list(work.resolve("pids"))) {
            assertThat(pids.map(pid -> pid.getFileName().toString()))
                    .as("the PID files of the stopped processes removed")
                    .isEmpty();
        }
    }

    @Test
    void run_ofTwoNodesBesideThePeer_printsEveryRoundAndTheRenewalCostWithNoLeaseLost(@TempDir Path work)
            throws Exception {
        skipUnlessPostgresAndServer();

        int code = ClusterRun.run(
                new String[] {
                    "--postgres-url", POSTGRES,
                    "--nodes", "2",
                    "--rounds", "2",
                    "--operations", "2,5",
                    "--clients", "1,2",
                    "--arbiter-warmup", "0s",
                    "--renewal-agents", "24",
                    "--renewal-nodes", "2",
                    "--renewal-workers", "4",
                    "--renewal-idle", "1s",
                    "--renewal-hold", "4s",
                    "--lease-ttl", "9s",
                    "--server-jar", SERVER_JAR.toString(),
                    "--server-heap", "256m",
                    "--work-dir", work.toString()
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String markdown = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(markdown)
                .contains("2 rounds, 5 operations per client measured after 2 of warm-up")
                .contains("| arbiter | survives | clients | round 1 | round 2 | median pairs/s | ÷ postgres |");
        assertThat(markdown.lines()
                        .filter(line -> line.matches("\\| (postgres|cluster-2) \\| power loss \\| [12] \\|.*")))
                .hasSize(4)
                .allSatisfy(line -> assertThat(line).endsWith("| 0 |"));
        assertThat(markdown)
                .contains("24 agents on cluster-2 (lease TTL 9 s, renewed every 3 s)")
                .contains("| leases held | 24 of 24 |")
                .contains("| leases lost (a renewal not answered 200) | 0 |")
                .contains("| errors | 0 |")
                .containsPattern(
                        "\\| \\*\\*PostgreSQL CPU during the hold \\(cores busy\\)\\*\\* \\| \\d+\\.\\d{3} \\|");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("round 2 of 2: [cluster-2, postgres]");
    }

    @Test
    void aKit_startsNodesWhereItIsCopied_andTheRunMeasuresThoseNodes_leavingThemRunning(@TempDir Path work)
            throws Exception {
        skipUnlessPostgresAndServer();
        Path kit = work.resolve("kit");

        int written = ClusterRun.run(
                new String[] {"--postgres-url", POSTGRES, "--write-kit", kit.toString(), "--lease-ttl", "9s"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(written).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Kit written to " + kit, "--node-url");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("the test's database is on the loopback address, which nodes elsewhere cannot reach")
                .contains("Warning: the nodes will connect to 127.0.0.1");
        assertThat(Files.getPosixFilePermissions(kit.resolve("kit.properties")))
                .as("the kit's secrets readable by its owner only")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(kit.resolve("start-node.sh")))
                .as("the script that holds the same secrets: its owner's only, and runnable")
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);

        List<Process> nodes = new ArrayList<>();
        try {
            List<URI> urls = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                // The first node alone until it answers, as the kit says: it makes the schema and the installation.
                int port = freePort();
                nodes.add(startNode(kit, work.resolve("node" + i), port));
                urls.add(URI.create("http://127.0.0.1:" + port));
                awaitLive(urls.getLast(), nodes.getLast(), work.resolve("node" + i + ".log"));
            }
            String nodeUrls = urls.get(0) + "," + urls.get(1);
            for (int run = 1; run <= 2; run++) {
                // Twice: the second run applies its licenses above the serials that the first left in the database.
                out.reset();
                err.reset();
                int code = ClusterRun.run(
                        new String[] {
                            "--postgres-url", POSTGRES,
                            "--kit", kit.toString(),
                            "--node-url", nodeUrls,
                            "--rounds", "1",
                            "--operations", "2,5",
                            "--clients", "1,3",
                            "--arbiter-warmup", "0s",
                            "--renewal-agents", run == 1 ? "12" : "0",
                            "--renewal-workers", "2",
                            "--renewal-idle", "1s",
                            "--renewal-hold", "3s",
                            "--work-dir", work.resolve("run" + run).toString()
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));

                String markdown = out.toString(StandardCharsets.UTF_8);
                assertThat(code).as("run %d: %s", run, err).isZero();
                assertThat(markdown)
                        .contains("the nodes at " + urls.get(0) + ", " + urls.get(1) + " (started from a kit");
                assertThat(markdown.lines()
                                .filter(line -> line.matches("\\| (postgres|cluster-2) \\| power loss \\| [13] \\|.*")))
                        .as(markdown)
                        .hasSize(4)
                        .allSatisfy(line -> assertThat(line).endsWith("| 0 |"));
                if (run == 1) {
                    assertThat(markdown)
                            .as("the kit's lease TTL, not the default of the option")
                            .contains("12 agents on cluster-2 (lease TTL 9 s, renewed every 3 s)")
                            .contains("| leases lost (a renewal not answered 200) | 0 |")
                            .contains("| nodes' CPU during the hold, all nodes (cores busy) | not readable |")
                            .contains("| node resident memory, idle (largest node) | not readable |");
                }
                assertThat(nodes)
                        .as("the run leaves the nodes it did not start running")
                        .allMatch(Process::isAlive);
            }
        } finally {
            for (Process node : nodes) {
                node.destroy();
                if (!node.waitFor(20, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            }
        }
    }

    @Test
    void aKitAndItsNodes_goTogether_andABadKitIsNamedInALine(@TempDir Path work) throws Exception {
        String[][] wrong = {
            {"--postgres-url", "jdbc:postgresql://127.0.0.1:1/none", "--kit", work.toString()},
            {"--postgres-url", "jdbc:postgresql://127.0.0.1:1/none", "--node-url", "http://127.0.0.1:1"},
            {
                "--postgres-url",
                "jdbc:postgresql://127.0.0.1:1/none",
                "--kit",
                work.toString(),
                "--node-url",
                "http://127.0.0.1:1"
            },
            {
                "--postgres-url",
                "jdbc:postgresql://127.0.0.1:1/none",
                "--kit",
                work.toString(),
                "--node-url",
                "node1:8080"
            },
            {
                "--postgres-url",
                "jdbc:postgresql://127.0.0.1:1/none",
                "--kit",
                work.toString(),
                "--node-url",
                "http://127.0.0.1:1",
                "--nodes",
                "3"
            },
        };
        String[] expected = {
            "--kit and --node-url go together",
            "--kit and --node-url go together",
            "--kit: no kit.properties in " + work,
            "--node-url node1:8080 is not http://HOST:PORT",
            "--nodes sizes the clusters started here",
        };
        for (int i = 0; i < wrong.length; i++) {
            err.reset();
            int code = ClusterRun.run(
                    wrong[i],
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains(expected[i])
                    .doesNotContain("Exception", "\tat ");
        }

        Files.writeString(work.resolve("something"), "not a kit");
        err.reset();
        int code = ClusterRun.run(
                new String[] {"--postgres-url", "jdbc:postgresql://127.0.0.1:1/none", "--write-kit", work.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("nothing made in the database before the directory is checked")
                .contains("--write-kit: " + work + " is not empty");
    }

    @Test
    void run_withoutAPostgresUrl_saysHowToStartOne() {
        int code = ClusterRun.run(
                new String[] {"--postgres-url", " "},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("eval \"$(scripts/start-postgres)\"");
    }

    @Test
    void processTreeCpu_ofThisProcess_isTheTimeItUsed() throws Exception {
        ProcessTreeCpu self = new ProcessTreeCpu(ProcessHandle.current().pid());
        Assumptions.assumeTrue(self.readable(), "no /proc here");

        Duration used = self.used();

        assertThat(used).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
    }

    private static void skipUnlessPostgresAndServer() {
        if (POSTGRES == null || POSTGRES.isBlank()) {
            String why = "INNOLICENSE_TEST_POSTGRES_URL is not set: the cluster benchmark smoke test is SKIPPED."
                    + " Run it with eval \"$(scripts/start-postgres)\" first.";
            System.err.println("SKIPPED ClusterRunTest: " + why);
            Assumptions.abort(why);
        }
        if (!Files.isRegularFile(SERVER_JAR)) {
            String why = "no server jar at " + SERVER_JAR.toAbsolutePath() + ": the cluster benchmark smoke test is"
                    + " SKIPPED. Build it with ./mvnw -pl server -am package first.";
            System.err.println("SKIPPED ClusterRunTest: " + why);
            Assumptions.abort(why);
        }
    }

    /** Starts a node from the kit's own script, as on a machine of its own, with the server's jar. */
    private static Process startNode(Path kit, Path data, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", kit.resolve("start-node.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile());
        builder.environment().put("NODE_HOST", "127.0.0.1");
        builder.environment().put("NODE_PORT", Integer.toString(port));
        builder.environment().put("NODE_DATA", data.toString());
        builder.environment().put("INNOLICENSE_JAR", SERVER_JAR.toAbsolutePath().toString());
        builder.environment()
                .put(
                        "JAVA",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("NODE_JAVA_OPTS", "-Xmx256m");
        return builder.start();
    }

    private static void awaitLive(URI node, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (true) {
                assertThat(process.isAlive()).as("the node exited: %s", log).isTrue();
                try {
                    HttpResponse<Void> live = http.send(
                            HttpRequest.newBuilder(node.resolve("/health/live")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (live.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                assertThat(System.nanoTime())
                        .as("the node at %s did not answer in 90 s: %s", node, log)
                        .isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
