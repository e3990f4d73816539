package com.anycontact.innolicense.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Text laid out in aligned columns, for people reading a terminal. */
final class Table {

    private static final int LABEL_WIDTH = 14;

    private final List<String[]> rows = new ArrayList<>();
    private final String indent;
    private final int firstColumnWidth;

    private Table(String indent, int firstColumnWidth) {
        this.indent = indent;
        this.firstColumnWidth = firstColumnWidth;
    }

    /** A table whose first row is {@code header}. */
    static Table withHeader(String... header) {
        Table table = new Table("", 0);
        table.rows.add(header);
        return table;
    }

    /** Label and value pairs, indented by two spaces, values aligned across all such tables. */
    static Table fields() {
        return new Table("  ", LABEL_WIDTH);
    }

    /** Adds a row. */
    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    /** Prints the rows with every column as wide as its widest cell; the last column is not padded. */
    void print(PrintStream out) {
        int columns = rows.stream().mapToInt(row -> row.length).max().orElse(0);
        int[] widths = new int[columns];
        if (columns > 0) {
            widths[0] = firstColumnWidth;
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                line.append(i < row.length - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
