package com.anycontact.innolicense.alert;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an administrator does with alerts: switch rules and set their thresholds, add and remove subscriptions
 * (a webhook's signing secret shown once), read a subscription's delivery log, send it a test event, and set
 * the SMTP server (its password written, never shown back). Every change is recorded in the audit log as
 * {@link AuditEvent.Type#ALERT_SETTINGS_CHANGED}, without secrets.
 */
public final class AlertService {

    /** The longest subscription name. */
    public static final int MAX_NAME = 100;

    /** The longest webhook URL or e-mail address. */
    public static final int MAX_TARGET = 2_000;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AlertStore store;
    private final RuleBook rules;
    private final AlertDispatcher dispatcher;
    private final AuditLog audit;
    private final InstantSource clock;
    private final String installationId;

    /**
     * The service over these parts.
     *
     * @param store where alert settings live
     * @param rules the rules in force, which a change refreshes
     * @param dispatcher sends test events
     * @param audit where changes are recorded
     * @param clock trusted time
     * @param installationId this installation's ID, part of a test event
     */
    public AlertService(
            AlertStore store,
            RuleBook rules,
            AlertDispatcher dispatcher,
            AuditLog audit,
            InstantSource clock,
            String installationId) {
        this.store = Objects.requireNonNull(store, "store");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.installationId = Objects.requireNonNull(installationId, "installationId");
    }

    /** Every rule with its setting. */
    public List<RuleSetting> rules() {
        return rules.all();
    }

    /**
     * Sets one rule.
     *
     * @return the setting kept, or why it was refused
     */
    public Result<RuleSetting> setRule(
            AlertRule rule, boolean enabled, List<Integer> days, int percent, int minutes, String actor) {
        Optional<String> problem = RuleSetting.problem(rule, days, percent, minutes);
        if (problem.isPresent()) {
            String message = problem.get();
            String field = message.startsWith("field '") ? message.substring(7, message.indexOf('\'', 7)) : "rule";
            return Result.refused(new AlertSettingRefused(field, message));
        }
        RuleSetting setting = new RuleSetting(rule, enabled, days, percent, minutes);
        rules.save(setting, actor);
        audited(actor, "rule " + rule + " " + (enabled ? "on" : "off") + describe(setting));
        return Result.of(setting);
    }

    /**
     * Adds a subscription; a webhook gets a new signing secret, returned here only.
     *
     * @param name what it is for
     * @param channel webhook or e-mail
     * @param target the URL or the e-mail address
     * @param rules the names of the rules whose alerts it takes ({@link AlertRule#name()}); null for every rule
     * @param actor who adds it
     */
    public SubscriptionCreation subscribe(
            String name, Subscription.Channel channel, String target, List<String> rules, String actor) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            return new AlertSettingRefused(
                    "name", "field 'name' is required, 1 to " + MAX_NAME + " characters: what the subscription is for");
        }
        if (channel == null) {
            return new AlertSettingRefused("channel", "field 'channel' is required: WEBHOOK or EMAIL");
        }
        if (target == null || target.isBlank() || target.length() > MAX_TARGET) {
            return new AlertSettingRefused(
                    "target",
                    "field 'target' is required: the webhook's URL or the e-mail address, at most " + MAX_TARGET
                            + " characters");
        }
        String trimmed = target.strip();
        Optional<String> problem =
                channel == Subscription.Channel.WEBHOOK ? urlProblem(trimmed) : emailProblem(trimmed);
        if (problem.isPresent()) {
            return new AlertSettingRefused("target", problem.get());
        }
        Result<Optional<Set<AlertRule>>> taken = rulesNamed(rules);
        if (taken.refused().isPresent()) {
            return taken.refused().get();
        }
        Subscription subscription = new Subscription(
                newId(),
                name.strip(),
                channel,
                trimmed,
                clock.instant(),
                actor,
                taken.value().orElseThrow());
        Optional<String> secret =
                channel == Subscription.Channel.WEBHOOK ? Optional.of(WebhookSignature.newSecret()) : Optional.empty();
        store.createSubscription(subscription, secret);
        audited(
                actor,
                "subscription " + subscription.id() + " '" + subscription.name() + "' added: " + channel + " to "
                        + trimmed + ", " + describe(subscription.rules()));
        return new SubscriptionCreation.Created(subscription, secret);
    }

    /**
     * Changes which rules' alerts a subscription takes, from the next alert fired on; a delivery already pending
     * for a rule it no longer takes is not sent.
     *
     * @param rules the names of the rules ({@link AlertRule#name()}); null for every rule
     * @return empty when there is no such subscription; else the subscription as changed, or why not
     */
    public Optional<Result<Subscription>> setSubscriptionRules(String id, List<String> rules, String actor) {
        Optional<Subscription> subscription = store.subscription(id);
        if (subscription.isEmpty()) {
            return Optional.empty();
        }
        Result<Optional<Set<AlertRule>>> taken = rulesNamed(rules);
        if (taken.refused().isPresent()) {
            return Optional.of(Result.refused(taken.refused().get()));
        }
        Optional<Set<AlertRule>> selection = taken.value().orElseThrow();
        if (!store.setSubscriptionRules(id, selection)) {
            return Optional.empty();
        }
        audited(actor, "subscription " + id + " '" + subscription.get().name() + "' now takes " + describe(selection));
        return Optional.of(Result.of(subscription.get().withRules(selection)));
    }

    /**
     * The rules named, checked: each a configurable rule, at least one; every configurable rule named counts as
     * "every rule" (so it takes the rules a later release adds, too).
     */
    private static Result<Optional<Set<AlertRule>>> rulesNamed(List<String> names) {
        if (names == null) {
            return Result.of(Optional.empty());
        }
        List<AlertRule> known = Arrays.stream(AlertRule.values())
                .filter(AlertRule::configurable)
                .toList();
        String knownNames = known.stream().map(AlertRule::name).collect(Collectors.joining(", "));
        if (names.isEmpty()) {
            return Result.refused(new AlertSettingRefused(
                    "rules",
                    "field 'rules' names no rule; name at least one of " + knownNames
                            + ", or leave the field out for every rule (to stop all alerts, delete the"
                            + " subscription)"));
        }
        Set<AlertRule> taken = EnumSet.noneOf(AlertRule.class);
        for (String name : names) {
            Optional<AlertRule> rule = known.stream()
                    .filter(candidate -> candidate.name().equals(name))
                    .findFirst();
            if (rule.isEmpty()) {
                return Result.refused(new AlertSettingRefused(
                        "rules", "field 'rules' names '" + name + "', which is no rule; the rules are " + knownNames));
            }
            taken.add(rule.get());
        }
        return Result.of(taken.size() == known.size() ? Optional.empty() : Optional.of(taken));
    }

    private static String describe(Optional<Set<AlertRule>> rules) {
        return rules.map(taken ->
                        "the rules " + taken.stream().map(AlertRule::name).collect(Collectors.joining(", ")))
                .orElse("every rule");
    }

    /** Every subscription, oldest first. */
    public List<Subscription> subscriptions() {
        return store.subscriptions();
    }

    /**
     * Removes a subscription with its pending deliveries and log.
     *
     * @return whether it existed
     */
    public boolean unsubscribe(String id, String actor) {
        Optional<Subscription> subscription = store.subscription(id);
        if (subscription.isEmpty() || !store.deleteSubscription(id)) {
            return false;
        }
        audited(actor, "subscription " + id + " '" + subscription.get().name() + "' removed");
        return true;
    }

    /** The delivery log of a subscription, newest first; empty when there is no such subscription. */
    public Optional<List<DeliveryAttempt>> deliveries(String subscriptionId, int limit) {
        return store.subscription(subscriptionId).map(subscription -> store.attempts(subscription.id(), limit));
    }

    /** Sends a test event to a subscription now; empty when there is no such subscription. */
    public Optional<DeliveryAttempt> test(String subscriptionId, String actor) {
        return store.subscription(subscriptionId)
                .map(subscription -> dispatcher.sendTest(subscription, actor, installationId));
    }

    /** The alerts fired, newest first. */
    public List<Alert> recent(int limit) {
        return store.recent(limit);
    }

    /** The SMTP settings, without the password. */
    public Optional<SmtpSettings> smtp() {
        return store.smtp();
    }

    /**
     * Sets the SMTP server.
     *
     * @param password empty to keep the stored one, a value to replace it, an empty string to remove it
     * @return the settings kept (without the password), or why they were refused
     */
    public Result<SmtpSettings> setSmtp(
            String host,
            Integer port,
            SmtpSettings.Security security,
            Optional<String> username,
            Optional<String> password,
            String from,
            String actor) {
        if (host == null || !HOST.matcher(host.strip()).matches() || host.length() > 253) {
            return Result.refused(new AlertSettingRefused(
                    "host", "field 'host' is required: the SMTP server's host name or address, e.g. smtp.example.com"));
        }
        if (port == null || port < 1 || port > 65_535) {
            return Result.refused(new AlertSettingRefused(
                    "port", "field 'port' is required, 1 to 65535: usually 587 for STARTTLS, 465 for TLS"));
        }
        if (security == null) {
            return Result.refused(
                    new AlertSettingRefused("security", "field 'security' is required: STARTTLS, TLS or NONE"));
        }
        if (from == null || emailProblem(from.strip()).isPresent()) {
            return Result.refused(new AlertSettingRefused(
                    "from", "field 'from' is required: the sender address of the alerts, e.g. licensing@example.com"));
        }
        Optional<String> user = username.map(String::strip).filter(name -> !name.isEmpty());
        SmtpSettings settings = new SmtpSettings(host.strip(), port, security, user, from.strip(), false);
        store.saveSmtp(settings, password);
        audited(
                actor,
                "SMTP server set to " + settings.host() + ":" + settings.port() + " (" + security + ")"
                        + user.map(name -> " as " + name).orElse(" without authentication") + ", from "
                        + settings.from()
                        + password.map(value -> value.isEmpty() ? "; password removed" : "; password changed")
                                .orElse(""));
        return Result.of(store.smtp().orElse(settings));
    }

    private void audited(String actor, String detail) {
        audit.record(clock.instant(), actor, AuditEvent.Type.ALERT_SETTINGS_CHANGED, detail);
    }

    private static String describe(RuleSetting setting) {
        return switch (setting.rule()) {
            case LICENSE_EXPIRING -> ", days " + setting.days();
            case USAGE_HIGH -> ", " + setting.percent() + " % for " + setting.minutes() + " minutes";
            case DENIAL -> ", at most one per " + setting.minutes() + " minutes";
            case NODE_MISSING -> ", after " + setting.minutes() + " minutes missing";
            default -> "";
        };
    }

    private static Optional<String> urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("field 'target' is not a URL: " + e.getReason()
                    + "; give the receiver's full address, e.g. https://hooks.example.com/innolicense");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("field 'target' must be an https:// (or http://) URL, e.g."
                    + " https://hooks.example.com/innolicense");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("field 'target' has no host; give the receiver's full address, e.g."
                    + " https://hooks.example.com/innolicense");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("field 'target' must not carry a user name or password; the body is signed instead");
        }
        return Optional.empty();
    }

    private static Optional<String> emailProblem(String address) {
        return EMAIL.matcher(address).matches()
                ? Optional.empty()
                : Optional.of("'" + address + "' is not an e-mail address such as ops@example.com");
    }

    private static String newId() {
        byte[] bits = new byte[8];
        RANDOM.nextBytes(bits);
        return "sub_" + HexFormat.of().formatHex(bits);
    }

    /**
     * A change kept, or refused.
     *
     * @param value what was kept, when it was
     * @param refused why not, when it was refused
     */
    public record Result<T>(Optional<T> value, Optional<AlertSettingRefused> refused) {

        static <T> Result<T> of(T value) {
            return new Result<>(Optional.of(value), Optional.empty());
        }

        static <T> Result<T> refused(AlertSettingRefused refused) {
            return new Result<>(Optional.empty(), Optional.of(refused));
        }
    }
}
