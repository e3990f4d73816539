package com.anycontact.innolicense.alert;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule switched on or off, with its thresholds. Only some rules read thresholds: {@link
 * AlertRule#LICENSE_EXPIRING} its {@code days}, {@link AlertRule#USAGE_HIGH} its {@code percent} and {@code
 * minutes}, {@link AlertRule#DENIAL} and {@link AlertRule#NODE_MISSING} their {@code minutes}; the others keep the
 * defaults, unread.
 *
 * @param rule the rule
 * @param enabled whether it fires
 * @param days how many days before the license ends to warn, each from 1 to 365, largest first, distinct
 * @param percent the share of the capacity, 1 to 100, at or above which use counts as high
 * @param minutes for {@link AlertRule#USAGE_HIGH} how long use must stay high; for {@link AlertRule#DENIAL} the
 *     least time between two alerts; for {@link AlertRule#NODE_MISSING} how long a node must have been missing;
 *     1 to 1440
 */
public record RuleSetting(AlertRule rule, boolean enabled, List<Integer> days, int percent, int minutes) {

    /** The days before the end that {@link AlertRule#LICENSE_EXPIRING} warns at by default. */
    public static final List<Integer> DEFAULT_DAYS = List.of(30, 14, 7, 1);

    /** The most days before the end a warning may be. */
    public static final int MAX_DAYS = 365;

    /** The most minutes a rule may wait or throttle. */
    public static final int MAX_MINUTES = 1440;

    /** Requires a configurable rule and thresholds in range; sorts the days, largest first. */
    public RuleSetting {
        Objects.requireNonNull(rule, "rule");
        days = days.stream().distinct().sorted((a, b) -> Integer.compare(b, a)).toList();
        problem(rule, days, percent, minutes).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
    }

    /** The setting a rule has until an administrator changes it: on, with the documented thresholds. */
    public static RuleSetting defaults(AlertRule rule) {
        return switch (rule) {
            case USAGE_HIGH -> new RuleSetting(rule, true, DEFAULT_DAYS, 90, 15);
            case DENIAL -> new RuleSetting(rule, true, DEFAULT_DAYS, 90, 60);
            case NODE_MISSING -> new RuleSetting(rule, true, DEFAULT_DAYS, 90, 1);
            default -> new RuleSetting(rule, true, DEFAULT_DAYS, 90, 15);
        };
    }

    /**
     * What is wrong with these values, for the administrator who typed them, or empty when they make a setting.
     * The message names the field and says what it accepts.
     */
    public static Optional<String> problem(AlertRule rule, List<Integer> days, int percent, int minutes) {
        if (!rule.configurable()) {
            return Optional.of("rule " + rule + " is not a rule one can set");
        }
        if (days.isEmpty()) {
            return Optional.of("field 'days' needs at least one number of days, e.g. [30, 14, 7, 1]");
        }
        for (int day : days) {
            if (day < 1 || day > MAX_DAYS) {
                return Optional.of("field 'days' holds " + day + "; each must be from 1 to " + MAX_DAYS);
            }
        }
        if (percent < 1 || percent > 100) {
            return Optional.of("field 'percent' is " + percent + "; it must be from 1 to 100 (% of the capacity)");
        }
        if (minutes < 1 || minutes > MAX_MINUTES) {
            return Optional.of("field 'minutes' is " + minutes + "; it must be from 1 to " + MAX_MINUTES);
        }
        return Optional.empty();
    }
}
