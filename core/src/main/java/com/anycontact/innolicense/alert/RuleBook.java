package com.anycontact.innolicense.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules in force, read from the {@link AlertStore} and kept in memory: re-read at most every {@link
 * #REFRESH} (so that a change made through another node reaches this one within it) and at once after a change
 * through this one. A rule never set has its {@linkplain RuleSetting#defaults defaults}.
 */
public final class RuleBook {

    /** How long a read of the rules is used before they are read again. */
    public static final Duration REFRESH = Duration.ofSeconds(10);

    private final AlertStore store;
    private final InstantSource clock;
    private Map<AlertRule, RuleSetting> settings;
    private Instant readAt;

    /**
     * A rule book over the store.
     *
     * @param store where the rules are kept
     * @param clock when to read them again; any clock that moves
     */
    public RuleBook(AlertStore store, InstantSource clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The setting of one rule. */
    public synchronized RuleSetting setting(AlertRule rule) {
        return current().get(rule);
    }

    /** Every configurable rule's setting, in the order of {@link AlertRule}. */
    public synchronized List<RuleSetting> all() {
        return List.copyOf(current().values());
    }

    /** Keeps a new setting and uses it from now on. */
    public synchronized void save(RuleSetting setting, String actor) {
        store.saveRule(setting, clock.instant(), actor);
        settings = null;
    }

    private Map<AlertRule, RuleSetting> current() {
        Instant now = clock.instant();
        if (settings == null || readAt == null || !now.isBefore(readAt.plus(REFRESH)) || now.isBefore(readAt)) {
            Map<AlertRule, RuleSetting> read = new EnumMap<>(AlertRule.class);
            for (AlertRule rule : AlertRule.values()) {
                if (rule.configurable()) {
                    read.put(rule, RuleSetting.defaults(rule));
                }
            }
            for (RuleSetting setting : store.rules()) {
                read.put(setting.rule(), setting);
            }
            settings = read;
            readAt = now;
        }
        return settings;
    }
}
