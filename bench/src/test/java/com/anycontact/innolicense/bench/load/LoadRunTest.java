package com.anycontact.innolicense.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator's command line and report, with the in-process ledger as the only arbiter. */
class LoadRunTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_ofTheInProcessLedger_printsEveryTableWithNoViolation(@TempDir Path work) throws Exception {
        Path file = work.resolve("load.md");

        int code = run(
                "--operations", "2,10",
                "--arbiter-warmup", "0s",
                "--clients", "1,4",
                "--arbiters", "ours-inproc",
                "--contention-clients", "8",
                "--contention-capacity", "2",
                "--hold", "0ms",
                "--work-dir", work.toString(),
                "--out", file.toString());

        assertThat(code).as(text(err)).isZero();
        String markdown = text(out);
        assertThat(markdown)
                .contains("Ratios are this arbiter ÷ ours-inproc")
                .contains("| ours-inproc | process crash | group commit to a SQLite journal")
                .contains("#### Claim + release pairs")
                .contains("#### Renewals of held leases")
                .containsPattern("\\| ours-inproc \\| process crash \\| 4 \\| [\\d,]+ \\| 1\\.00× \\|")
                .containsPattern("\\| ours-inproc \\| 8 \\| 2 \\| [\\d,]+ \\| \\d+ \\| \\d+ \\| [12] \\| 0 \\|");
        assertThat(Files.readString(file) + System.lineSeparator()).isEqualTo(markdown);
    }

    @Test
    void run_ofAnArbiterWithoutItsServer_reportsItAsNotMeasured(@TempDir Path work) throws Exception {
        int code = run(
                "--operations", "1,1",
                "--arbiter-warmup", "0s",
                "--clients", "1",
                "--scenarios", "pairs",
                "--arbiters", "redis",
                "--work-dir", work.toString());

        assertThat(code).isZero();
        assertThat(text(out)).contains("| redis | not measured | --redis-url is not given |");
    }

    @Test
    void rounds_ofTwoArbiters_printsEveryRoundAndTheMediansTakingTurns(@TempDir Path work) throws Exception {
        int code = run(
                "--rounds", "3",
                "--operations", "2,10",
                "--arbiter-warmup", "0s",
                "--clients", "1,2",
                "--scenarios", "pairs",
                "--arbiters", "ours-inproc,ours-inproc-sqlite",
                "--work-dir", work.toString());

        assertThat(code).isZero();
        String table = text(out);
        assertThat(table).doesNotContain("Contention in the same rounds");
        assertThat(table)
                .contains("3 rounds, 10 operations per client measured after 2 of warm-up")
                .contains("| arbiter | survives | clients | round 1 | round 2 | round 3 | median pairs/s |");
        assertThat(table.lines()
                        .filter(line -> line.matches("\\| ours-inproc(-sqlite)? \\| process crash \\| [12] \\|.*")))
                .hasSize(4)
                .allSatisfy(line -> assertThat(line.split("\\|")).hasSize(10));
        assertThat(text(err))
                .contains("round 1 of 3: [ours-inproc, ours-inproc-sqlite]")
                .contains("round 2 of 3: [ours-inproc-sqlite, ours-inproc]");
    }

    @Test
    void rounds_withTheContentionScenario_runItInTheSameRoundsWithNoViolation(@TempDir Path work) throws Exception {
        int code = run(
                "--rounds", "2",
                "--operations", "2,10",
                "--arbiter-warmup", "0s",
                "--clients", "2",
                "--scenarios", "pairs,contention",
                "--contention-clients", "8",
                "--contention-capacity", "2",
                "--hold", "0ms",
                "--arbiters", "ours-inproc,ours-inproc-sqlite",
                "--work-dir", work.toString());

        assertThat(code).as(text(err)).isZero();
        String table = text(out);
        assertThat(table)
                .contains("2 rounds, 10 operations per client measured after 2 of warm-up")
                .contains("Contention in the same rounds: 8 clients on 2 seats")
                .contains("| arbiter | survives | round 1 | round 2 | median grants/s | ÷ ours-inproc |")
                .containsPattern(
                        "\\| ours-inproc-sqlite \\| process crash \\| [\\d,]+ \\| [\\d,]+ \\| [\\d,]+ \\| [\\d.]+× \\|"
                                + " [\\d,]+ \\| [\\d.,–]+ \\| 0 \\|");
        assertThat(text(err)).contains("ours-inproc-sqlite contention 8 clients on 2 seats");
    }

    @Test
    void duration_readsShortFormsAndIso() {
        assertThat(LoadRun.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadRun.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(LoadRun.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadRun.duration("PT90S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void ratio_isThisArbiterOverTheBaseline() {
        assertThat(Report.ratio(2_000, 1_000)).isEqualTo("2.00×");
        assertThat(Report.ratio(15_000, 1_000)).isEqualTo("15×");
        assertThat(Report.ratio(1, 0)).isEqualTo("–");
    }

    private int run(String... args) {
        return LoadRun.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
