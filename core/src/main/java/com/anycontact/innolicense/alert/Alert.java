package com.anycontact.innolicense.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alert that fired: once per event, which its {@code eventKey} names (the store keeps each key once, so a
 * second node or a restarted one that sees the same event does not fire it again).
 *
 * @param id a random ID, e.g. {@code alrt_3f9c0a1b2c3d4e5f}
 * @param eventKey what happened, uniquely, e.g. {@code license-expiring:L-2027-001:3:30d}
 * @param rule the rule that fired
 * @param firedAt the trusted instant it fired, to the millisecond
 * @param summary one sentence for people
 * @param facts the details, in order, by name (e.g. {@code licenseId}, {@code end}); names are ASCII words
 */
public record Alert(
        String id, String eventKey, AlertRule rule, Instant firedAt, String summary, Map<String, String> facts) {

    /** Requires every field; keeps the facts in their order, unmodifiable. */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventKey, "eventKey");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(firedAt, "firedAt");
        Objects.requireNonNull(summary, "summary");
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /**
     * The facts as one text for a store's column: one {@code name=value} line each, with backslash, newline and
     * carriage return in values escaped as {@code \\}, {@code \n}, {@code \r}.
     */
    public static String encodeFacts(Map<String, String> facts) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> fact : facts.entrySet()) {
            text.append(fact.getKey()).append('=');
            for (char c : fact.getValue().toCharArray()) {
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** The facts {@link #encodeFacts} wrote. */
    public static Map<String, String> decodeFacts(String text) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            StringBuilder value = new StringBuilder();
            for (int i = equals + 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    char next = line.charAt(++i);
                    value.append(
                            switch (next) {
                                case 'n' -> '\n';
                                case 'r' -> '\r';
                                default -> next;
                            });
                } else {
                    value.append(c);
                }
            }
            facts.put(line.substring(0, equals), value.toString());
        }
        return facts;
    }
}
