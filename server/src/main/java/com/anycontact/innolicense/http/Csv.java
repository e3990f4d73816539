package com.anycontact.innolicense.http;

import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Rows of a report as CSV (RFC 4180): a header line with the record's component names, then one line per
 * record; an empty cell for {@code null}; a cell with a comma, quote or line break quoted. Lines end with CRLF.
 */
final class Csv {

    private Csv() {}

    /** The rows, each a record of the given type. */
    static <R extends Record> String of(Class<R> type, List<R> rows) {
        RecordComponent[] components = type.getRecordComponents();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < components.length; i++) {
            text.append(i == 0 ? "" : ",").append(cell(components[i].getName()));
        }
        text.append("\r\n");
        for (R row : rows) {
            for (int i = 0; i < components.length; i++) {
                Object value;
                try {
                    value = components[i].getAccessor().invoke(row);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + components[i].getName() + " of a report row", e);
                }
                text.append(i == 0 ? "" : ",").append(value == null ? "" : cell(value.toString()));
            }
            text.append("\r\n");
        }
        return text.toString();
    }

    private static String cell(String value) {
        boolean quote = value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0
                || (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !isNumber(value));
        if (!quote) {
            return value;
        }
        String escaped = value.replace("\"", "\"\"");
        if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !isNumber(value)) {
            escaped = "'" + escaped;
        }
        return "\"" + escaped + "\"";
    }

    private static boolean isNumber(String value) {
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
