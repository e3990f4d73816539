package com.anycontact.innolicense.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The server's answer to a successful claim or renewal (201 or 200).
 *
 * @param agentId the agent holding the seat
 * @param node the node the server recorded, or {@code null}
 * @param station the station the server recorded, or {@code null}
 * @param claimedAt when the seat was claimed
 * @param expiresAt when the lease expires, by the server's clock
 * @param renewAfter the interval the server asks renewals at, or {@code null} when it gave none
 * @param leaseTtl how long each claim or renewal holds the seat, or {@code null} when the server did not say
 */
record SeatGrant(
        String agentId,
        String node,
        String station,
        Instant claimedAt,
        Instant expiresAt,
        Duration renewAfter,
        Duration leaseTtl) {

    private static final BigDecimal MAX_SECONDS =
            BigDecimal.valueOf(Duration.ofDays(365).toSeconds());

    /**
     * Reads an answer body, ignoring members it does not know.
     *
     * @throws IllegalArgumentException when the body is not JSON or lacks a member the client needs
     */
    static SeatGrant parse(String body) {
        Map<String, Object> json = Json.parseObject(body);
        return new SeatGrant(
                requiredString(json, "agentId"),
                optionalString(json, "node"),
                optionalString(json, "station"),
                instant(json, "claimedAt"),
                instant(json, "expiresAt"),
                seconds(json, "renewAfterSeconds"),
                seconds(json, "leaseTtlSeconds"));
    }

    private static String requiredString(Map<String, Object> json, String name) {
        String value = optionalString(json, name);
        if (value == null) {
            throw new IllegalArgumentException("the answer lacks " + name);
        }
        return value;
    }

    private static String optionalString(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException(name + " is not a string");
    }

    private static Instant instant(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " is not an ISO-8601 instant: " + text, e);
            }
        }
        throw new IllegalArgumentException("the answer lacks " + name);
    }

    private static Duration seconds(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value instanceof BigDecimal seconds && seconds.signum() > 0 && seconds.compareTo(MAX_SECONDS) <= 0) {
            Duration duration = Duration.ofNanos(seconds.movePointRight(9).longValue());
            return duration.isZero() ? null : duration;
        }
        return null;
    }
}
