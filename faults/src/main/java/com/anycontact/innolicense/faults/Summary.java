package com.anycontact.innolicense.faults;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The suite's totals over its rounds, as a Markdown report for {@code docs/reliability.md}: the rounds of the
 * real server must show no violation, the rounds of a broken store at least one.
 */
record Summary(List<FaultRound.Outcome> outcomes) {

    static Summary of(List<FaultRound.Outcome> outcomes) {
        return new Summary(List.copyOf(outcomes));
    }

    /** Whether every real round passed and every broken round was caught. */
    boolean passed() {
        return outcomes.stream()
                .allMatch(
                        o -> o.plan().broken() ? !o.check().passed() : o.check().passed());
    }

    /** One sentence on the outcome. */
    String verdict() {
        long realViolations = outcomes.stream()
                .filter(o -> !o.plan().broken())
                .mapToLong(o -> o.check().violations().size())
                .sum();
        long uncaught = outcomes.stream()
                .filter(o -> o.plan().broken() && o.check().passed())
                .count();
        return realViolations + " violations in the rounds of the real server"
                + (uncaught > 0 ? "; the broken store was NOT caught in " + uncaught + " round(s)" : "")
                + "; broken store caught: "
                + outcomes.stream()
                        .filter(o -> o.plan().broken())
                        .map(o -> o.check().violations().size() + " violations")
                        .collect(Collectors.joining(", "));
    }

    /** The report. */
    String markdown(String mode, long seed, int agents, int capacity, Duration ttl) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Fault suite `%s`, %s: %d agents, capacity %d, lease TTL %d s, seed %d.%n%n",
                mode,
                LocalDate.now(ZoneOffset.UTC),
                agents,
                capacity,
                ttl.toSeconds(),
                seed));
        md.append(
                "| round | faults injected | operations checked | violations | lost acked claims | worst recovery |\n");
        md.append("|---|---|---:|---|---:|---|\n");
        Map<FaultEvent.Kind, Integer> faults = new EnumMap<>(FaultEvent.Kind.class);
        Map<FaultEvent.Kind, Long> worst = new EnumMap<>(FaultEvent.Kind.class);
        Map<HistoryChecker.Rule, Long> violations = new EnumMap<>(HistoryChecker.Rule.class);
        long operations = 0;
        long lost = 0;
        for (FaultRound.Outcome outcome : outcomes) {
            HistoryChecker.Result check = outcome.check();
            Map<FaultEvent.Kind, Integer> here = new EnumMap<>(FaultEvent.Kind.class);
            outcome.faults().forEach(f -> here.merge(f.kind(), 1, Integer::sum));
            Map<HistoryChecker.Rule, Long> rules = new EnumMap<>(HistoryChecker.Rule.class);
            check.violations().forEach(v -> rules.merge(v.rule(), 1L, Long::sum));
            String skipped = outcome.skipped().isEmpty()
                    ? ""
                    : " (skipped: " + outcome.skipped().size() + ")";
            md.append(String.format(
                    Locale.ROOT,
                    "| %s%s | %s%s | %d | %s | %d | %s |%n",
                    outcome.plan().name(),
                    outcome.plan().broken()
                            ? " (broken store: " + outcome.plan().brokenStore() + ")"
                            : "",
                    counts(here),
                    skipped,
                    check.operations(),
                    rules.isEmpty() ? "0" : counts(rules),
                    check.count(HistoryChecker.Rule.LOST_ACK),
                    recoveries(check.worstRecoveryNanos())));
            if (!outcome.plan().broken()) {
                here.forEach((k, n) -> faults.merge(k, n, Integer::sum));
                check.worstRecoveryNanos().forEach((k, n) -> worst.merge(k, n, Math::max));
                rules.forEach((r, n) -> violations.merge(r, n, Long::sum));
                operations += check.operations();
                lost += check.count(HistoryChecker.Rule.LOST_ACK);
            }
        }
        long runs = outcomes.stream().filter(o -> !o.plan().broken()).count();
        md.append(String.format(
                Locale.ROOT,
                "%nReal server: %d runs; faults injected: %s; %d operations checked; violations: %s;"
                        + " lost acknowledged claims: %d; worst recovery: %s.%n",
                runs,
                counts(faults),
                operations,
                violations.isEmpty() ? "0" : counts(violations),
                lost,
                recoveries(worst)));
        for (FaultRound.Outcome outcome : outcomes) {
            outage(
                    md,
                    "While the database was down or full in %s: %d seat calls answered",
                    "unanswered",
                    outcome,
                    outcome.outage());
            outage(
                    md,
                    "While a node was cut off from the database in %s: %d seat calls to it answered",
                    "unanswered within the client's timeout (sent before its first read timed out) and passed on to"
                            + " another node",
                    outcome,
                    outcome.cutOff());
            outage(
                    md,
                    "While a node's traffic with the database was slowed in %s: %d seat calls to it answered",
                    "unanswered within the client's timeout and passed on to another node",
                    outcome,
                    outcome.slowed());
        }
        for (FaultRound.Outcome outcome : outcomes) {
            outcome.skipped()
                    .forEach(s -> md.append("Skipped in ")
                            .append(outcome.plan().name())
                            .append(": ")
                            .append(s)
                            .append('\n'));
        }
        return md.toString();
    }

    /** One line on how the nodes answered during a round's outages of one kind, unless it had none. */
    private static void outage(
            StringBuilder md, String during, String unanswered, FaultRound.Outcome outcome, FaultRound.Outage outage) {
        if (outage.calls() + outage.unanswered() == 0) {
            return;
        }
        md.append(String.format(
                Locale.ROOT,
                during + " (%d of them 503 database-unavailable or store-unavailable with Retry-After), %d "
                        + unanswered
                        + "; time to the answer median %.0f ms, worst %.0f ms.%n",
                outcome.plan().name(),
                outage.calls(),
                outage.unavailable(),
                outage.unanswered(),
                outage.medianNanos() / 1e6,
                outage.worstNanos() / 1e6));
    }

    private static String counts(Map<? extends Enum<?>, ? extends Number> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String recoveries(Map<FaultEvent.Kind, Long> worst) {
        if (worst.isEmpty()) {
            return "-";
        }
        return worst.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " "
                        + (e.getValue() == Long.MAX_VALUE ? "never" : HistoryChecker.seconds(e.getValue())))
                .collect(Collectors.joining(", "));
    }
}
