package com.anycontact.innolicense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/** How the {@code admin … list} commands print what the server listed: its JSON as is, or a table. */
final class AdminListing {

    private AdminListing() {}

    /**
     * Prints a listing answered with 200: the server's JSON when {@code json}, else a table with one row per
     * element of the array {@code array} and one column per field.
     *
     * @param headers the column headers, in the order of {@code fields}
     * @param fields the JSON fields shown in each column
     * @return {@link ExitCode#OK}
     */
    static int print(
            CliIo io,
            AdminClient.Answer answer,
            boolean json,
            String array,
            List<String> headers,
            List<String> fields) {
        return printColumns(
                io,
                answer,
                json,
                array,
                headers,
                fields.stream().map(AdminListing::field).toList());
    }

    /** The text of a member of a listed element, e.g. {@code name}; empty when it is missing or null. */
    static Function<JsonNode, String> field(String name) {
        return element -> element.path(name).isNull() ? "" : element.path(name).asText();
    }

    /**
     * Like {@link #print}, with each column computed from the listed element.
     *
     * @param columns what each column shows of an element, in the order of {@code headers}
     * @return {@link ExitCode#OK}
     */
    static int printColumns(
            CliIo io,
            AdminClient.Answer answer,
            boolean json,
            String array,
            List<String> headers,
            List<Function<JsonNode, String>> columns) {
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        if (json) {
            io.out().println(LicenseView.text(answer.json()));
            return ExitCode.OK;
        }
        Table table = Table.withHeader(headers.toArray(String[]::new));
        for (JsonNode element : answer.json().path(array)) {
            table.row(columns.stream().map(column -> column.apply(element)).toArray(String[]::new));
        }
        table.print(io.out());
        return ExitCode.OK;
    }
}
