package com.anycontact.innolicense.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
}
