package com.anycontact.innolicense.client;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An error answer of the server, read from {@code application/problem+json} (RFC 9457) when it is one, and
 * from the status alone when it is not (a proxy's HTML page, say).
 *
 * @param status the HTTP status
 * @param type the last path segment of the problem's {@code type}, e.g. {@code seat-limit-reached}, or
 *     {@code null} when the answer had none
 * @param detail the server's explanation, or a summary of the answer
 * @param members the whole problem object, empty when the answer was not JSON
 * @param retryAfter the {@code Retry-After} header in seconds, if the answer had one
 */
record Problem(int status, String type, String detail, Map<String, Object> members, Optional<Duration> retryAfter) {

    private static final int MAX_TEXT = 200;

    /** Reads the problem in an error answer; never fails. */
    static Problem of(HttpResponse<String> response) {
        Optional<Duration> retryAfter =
                response.headers().firstValue("Retry-After").flatMap(Problem::seconds);
        String body = response.body() == null ? "" : response.body();
        Map<String, Object> members = Map.of();
        if (response.headers()
                .firstValue("Content-Type")
                .orElse("")
                .toLowerCase(Locale.ROOT)
                .contains("json")) {
            try {
                members = Json.parseObject(body);
            } catch (IllegalArgumentException e) {
                members = Map.of();
            }
        }
        String type = members.get("type") instanceof String uri ? lastSegment(uri) : null;
        String detail = members.get("detail") instanceof String text
                ? text
                : members.get("title") instanceof String title ? title : summary(response.statusCode(), body);
        return new Problem(response.statusCode(), type, detail, members, retryAfter);
    }

    /** Whether the problem has this type, e.g. {@code capacity-reduced}. */
    boolean is(String slug) {
        return slug.equals(type);
    }

    /** An integer member such as {@code capacity}, or -1 when it is missing or not an integer. */
    int intMember(String name) {
        if (members.get(name) instanceof BigDecimal number) {
            try {
                return number.intValueExact();
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The status and detail, for messages. */
    String describe() {
        return "HTTP " + status + (type == null ? "" : " " + type) + ": " + detail;
    }

    static String lastSegment(String uri) {
        String trimmed = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':'));
        String segment = trimmed.substring(slash + 1);
        return segment.isEmpty() || (segment.equals("blank") && uri.startsWith("about:")) ? null : segment;
    }

    private static String summary(int status, String body) {
        String text = body.strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "the server answered " + status + " without a body";
        }
        return "the server answered " + status + ": "
                + (text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text);
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds >= 0 && seconds <= 86_400 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
