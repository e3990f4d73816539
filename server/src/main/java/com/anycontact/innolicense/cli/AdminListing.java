package com.anycontact.innolicense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

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
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        if (json) {
            io.out().println(LicenseView.text(answer.json()));
            return ExitCode.OK;
        }
        Table table = Table.withHeader(headers.toArray(String[]::new));
        for (JsonNode element : answer.json().path(array)) {
            table.row(fields.stream()
                    .map(field -> element.path(field).isNull()
                            ? "-"
                            : element.path(field).asText())
                    .toArray(String[]::new));
        }
        table.print(io.out());
        return ExitCode.OK;
    }
}
