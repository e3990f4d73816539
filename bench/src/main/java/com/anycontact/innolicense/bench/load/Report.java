package com.anycontact.innolicense.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown tables of a load run: absolute numbers, ratios to ours, and what an acked claim
 * survives with each arbiter.
 */
final class Report {

    private final List<Measurement> measurements = new ArrayList<>();
    private final List<ContentionResult> contention = new ArrayList<>();
    private final Map<String, Durability> durability = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    void arbiter(String name, Durability survives) {
        durability.put(name, survives);
    }

    void add(Measurement measurement) {
        measurements.add(measurement);
    }

    void add(ContentionResult result) {
        contention.add(result);
    }

    void failed(String arbiter, String why) {
        failures.put(arbiter, why);
    }

    /**
     * The tables.
     *
     * @param preferredBaseline the arbiter the ratios compare with, when it was measured; otherwise
     *     the first arbiter measured
     */
    String markdown(String preferredBaseline) {
        String baseline = baseline(preferredBaseline);
        StringBuilder out = new StringBuilder();
        out.append("#### What an acked claim survives\n\n| arbiter | survives | because |\n|---|---|---|\n");
        durability.forEach((name, d) -> out.append("| ")
                .append(name)
                .append(" | ")
                .append(d.survives().label())
                .append(" | ")
                .append(d.how())
                .append(" |\n"));
        failures.forEach((name, why) -> out.append("| ")
                .append(name)
                .append(" | not measured | ")
                .append(why.replace('|', '/').replace('\n', ' '))
                .append(" |\n"));
        table(out, Measurement.Scenario.PAIRS, baseline);
        table(out, Measurement.Scenario.RENEWALS, baseline);
        contentionTable(out);
        return out.toString();
    }

    /** The arbiter ratios compare with: the preferred one when it was measured, else the first measured. */
    String baseline(String preferred) {
        return durability.containsKey(preferred)
                ? preferred
                : durability.keySet().stream().findFirst().orElse(preferred);
    }

    private void table(StringBuilder out, Measurement.Scenario scenario, String baseline) {
        List<Measurement> rows =
                measurements.stream().filter(m -> m.scenario() == scenario).toList();
        if (rows.isEmpty()) {
            return;
        }
        String unit = scenario == Measurement.Scenario.PAIRS ? "pairs/s" : "renewals/s";
        String timed = scenario == Measurement.Scenario.PAIRS ? "claim" : "renewal";
        out.append("\n#### ")
                .append(scenario == Measurement.Scenario.PAIRS ? "Claim + release pairs" : "Renewals of held leases")
                .append("\n\n| arbiter | survives | clients | ")
                .append(unit)
                .append(" | ÷ ")
                .append(baseline)
                .append(" | ")
                .append(timed)
                .append(" p50 µs | p99 µs | p99.9 µs | p99 ÷ ")
                .append(baseline)
                .append(" | denied | errors |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : rows) {
            Optional<Measurement> base = rows.stream()
                    .filter(b -> b.arbiter().equals(baseline) && b.clients() == m.clients())
                    .findFirst();
            out.append("| ")
                    .append(m.arbiter())
                    .append(" | ")
                    .append(survives(m.arbiter()))
                    .append(" | ")
                    .append(m.clients())
                    .append(" | ")
                    .append(count(m.perSecond()))
                    .append(" | ")
                    .append(base.map(b -> ratio(m.perSecond(), b.perSecond())).orElse("–"))
                    .append(" | ")
                    .append(micros(m.latency().p50()))
                    .append(" | ")
                    .append(micros(m.latency().p99()))
                    .append(" | ")
                    .append(micros(m.latency().p999()))
                    .append(" | ")
                    .append(base.map(b -> ratio(m.latency().p99(), b.latency().p99()))
                            .orElse("–"))
                    .append(" | ")
                    .append(m.denials())
                    .append(" | ")
                    .append(m.errors())
                    .append(" |\n");
        }
    }

    private void contentionTable(StringBuilder out) {
        if (contention.isEmpty()) {
            return;
        }
        out.append("\n#### Contention: more clients than seats\n\n")
                .append("| arbiter | clients | seats | grants/s | grants | denials | max in use | violations"
                        + " | claim p99 µs | errors |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ContentionResult c : contention) {
            out.append("| ")
                    .append(c.arbiter())
                    .append(" | ")
                    .append(c.clients())
                    .append(" | ")
                    .append(c.capacity())
                    .append(" | ")
                    .append(count(c.seconds() > 0 ? c.grants() / c.seconds() : 0))
                    .append(" | ")
                    .append(c.grants())
                    .append(" | ")
                    .append(c.denials())
                    .append(" | ")
                    .append(c.maxInUse())
                    .append(" | ")
                    .append(c.violations() == 0 ? "0" : "**" + c.violations() + "**")
                    .append(" | ")
                    .append(micros(c.claimLatency().p99()))
                    .append(" | ")
                    .append(c.errors())
                    .append(" |\n");
        }
    }

    private String survives(String arbiter) {
        Durability d = durability.get(arbiter);
        return d == null ? "?" : d.survives().label();
    }

    static String count(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String micros(double micros) {
        if (Double.isNaN(micros)) {
            return "–";
        }
        return micros >= 100 ? String.format(Locale.ROOT, "%,.0f", micros) : String.format(Locale.ROOT, "%.1f", micros);
    }

    static String ratio(double value, double base) {
        if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
            return "–";
        }
        double r = value / base;
        return r >= 10 ? String.format(Locale.ROOT, "%.0f×", r) : String.format(Locale.ROOT, "%.2f×", r);
    }
}
