package com.anycontact.innolicense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin report}: the usage reports of a running server, as a table, CSV or JSON. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a usage report (supervisor or admin token): daily (peak, time at peak, minutes at capacity,"
                    + " capacity, claims, denials, distinct agents per day), monthly (the same per month), heatmap"
                    + " (use by hour of the week) or right-size (the seats the period needed; docs/reports.md).",
            "Periods are days (--from 2027-01-01 --to 2027-01-31) or, for monthly, months (--from 2027-01);"
                    + " the zone is the license's unless --zone says otherwise."
        })
final class AdminReport implements Callable<Integer> {

    /** The reports. */
    enum Kind {
        daily,
        monthly,
        heatmap,
        right_size;

        String path() {
            return name().replace('_', '-');
        }
    }

    /** The output formats. */
    enum Format {
        table,
        csv,
        json
    }

    private final CliIo io;

    @Mixin
    AdminConnection connection = new AdminConnection();

    @Parameters(
            index = "0",
            paramLabel = "REPORT",
            converter = KindConverter.class,
            description = "daily, monthly, heatmap or right-size.")
    Kind kind;

    @Option(names = "--from", paramLabel = "DAY", description = "The first day (or month) of the period.")
    String from;

    @Option(names = "--to", paramLabel = "DAY", description = "The last day (or month) of the period, included.")
    String to;

    @Option(names = "--zone", paramLabel = "ZONE", description = "The time zone of the days, e.g. Europe/Berlin.")
    String zone;

    @Option(
            names = "--service-level",
            paramLabel = "PERCENT",
            description = "right-size: the share of working minutes without a denial to reach (default 99.9).")
    String serviceLevel;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    AdminReport(CliIo io) {
        this.io = io;
    }

    /** Accepts right-size as well as right_size. */
    static final class KindConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            try {
                return Kind.valueOf(value.strip().toLowerCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a report; use daily, monthly, heatmap or right-size");
            }
        }
    }

    @Override
    public Integer call() {
        List<String> query = new ArrayList<>();
        add(query, "from", from);
        add(query, "to", to);
        add(query, "zone", zone);
        add(query, "serviceLevel", serviceLevel);
        String path = "/api/v1/reports/" + kind.path() + (query.isEmpty() ? "" : "?" + String.join("&", query));
        AdminClient.Answer answer = connection.client(io.env()).get(path);
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        JsonNode report = answer.json();
        switch (format) {
            case json -> io.out().println(LicenseView.text(report));
            case csv -> printCsv(report.path("rows"));
            case table -> printTable(report);
        }
        return ExitCode.OK;
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + AdminClient.encode(value));
        }
    }

    private void printTable(JsonNode report) {
        if (kind == Kind.right_size) {
            io.out().println(report.path("summary").asText());
            io.out().println();
        } else {
            io.out()
                    .println("Zone " + report.path("zone").asText() + ", "
                            + report.path("from").asText() + " to "
                            + report.path("to").asText());
        }
        JsonNode rows = report.path("rows");
        if (kind == Kind.heatmap) {
            printHeatmap(rows);
            return;
        }
        List<String> header = fieldNames(rows);
        Table table = Table.withHeader(header.stream().map(AdminReport::label).toArray(String[]::new));
        for (JsonNode row : rows) {
            table.row(header.stream().map(name -> cell(row.path(name))).toArray(String[]::new));
        }
        table.print(io.out());
    }

    /** The peak of each hour of the week, one line per day. */
    private void printHeatmap(JsonNode rows) {
        String[] header = new String[25];
        header[0] = "DAY";
        for (int hour = 0; hour < 24; hour++) {
            header[hour + 1] = String.format("%02d", hour);
        }
        Table table = Table.withHeader(header);
        for (int day = 0; day < 7; day++) {
            String[] line = new String[25];
            String name = rows.path(day * 24).path("day").asText("?  ");
            line[0] = name.charAt(0) + name.substring(1, 3).toLowerCase(Locale.ROOT);
            for (int hour = 0; hour < 24; hour++) {
                line[hour + 1] = cell(rows.path(day * 24 + hour).path("peakInUse"));
            }
            table.row(line);
        }
        table.print(io.out());
        io.out().println("Each cell: the most seats in use at once in that hour of the week ('-': no record).");
    }

    private void printCsv(JsonNode rows) {
        List<String> header = fieldNames(rows);
        io.out().println(String.join(",", header));
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            for (String name : header) {
                JsonNode value = row.path(name);
                cells.add(value.isNull() || value.isMissingNode() ? "" : csvCell(value.asText()));
            }
            io.out().println(String.join(",", cells));
        }
    }

    private static List<String> fieldNames(JsonNode rows) {
        List<String> names = new ArrayList<>();
        if (rows.isArray() && !rows.isEmpty()) {
            Iterator<String> fields = rows.get(0).fieldNames();
            fields.forEachRemaining(names::add);
        }
        return names;
    }

    private static String label(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }

    private static String cell(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "-" : value.asText();
    }

    private static String csvCell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
