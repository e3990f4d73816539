package com.anycontact.innolicense.http;

import com.anycontact.innolicense.alert.Alert;
import com.anycontact.innolicense.alert.AlertRule;
import com.anycontact.innolicense.alert.AlertService;
import com.anycontact.innolicense.alert.AlertSettingRefused;
import com.anycontact.innolicense.alert.DeliveryAttempt;
import com.anycontact.innolicense.alert.RuleSetting;
import com.anycontact.innolicense.alert.SmtpSettings;
import com.anycontact.innolicense.alert.Subscription;
import com.anycontact.innolicense.alert.SubscriptionCreation;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts under {@code /api/v1/alerts}, administrators only: the rules, the subscriptions (a webhook's signing
 * secret shown once, at creation), each subscription's delivery log and test event, the SMTP server (its
 * password written, never shown), and the alerts fired. docs/alerts.md describes them.
 */
final class AlertRoutes {

    /** How many alerts and log entries a list shows. */
    static final int LIST_LIMIT = 100;

    /** A change of one rule; a field left out keeps its value. */
    record RuleBody(Boolean enabled, List<Integer> days, Integer percent, Integer minutes) {}

    /** One rule with its setting. */
    record RuleView(
            String rule, String type, String title, boolean enabled, List<Integer> days, int percent, int minutes) {}

    /** Every rule. */
    record RulesView(List<RuleView> rules) {}

    /**
     * A new subscription: a webhook URL or an e-mail address, and the names of the rules whose alerts it takes
     * ({@code rules} left out for every rule).
     */
    record SubscriptionBody(String name, Subscription.Channel channel, String target, List<String> rules) {}

    /**
     * A subscription, without its secret: {@code rules} the rules it takes now, {@code allRules} whether it takes
     * every rule (also those a later release adds).
     */
    record SubscriptionView(
            String id,
            String name,
            String channel,
            String target,
            String createdAt,
            String createdBy,
            List<String> rules,
            boolean allRules) {}

    /** A new subscription; {@code secret} is a webhook's signing secret, shown only this once. */
    record CreatedView(
            String id,
            String name,
            String channel,
            String target,
            String createdAt,
            String createdBy,
            List<String> rules,
            boolean allRules,
            String secret) {}

    /** Every subscription. */
    record SubscriptionsView(List<SubscriptionView> subscriptions) {}

    /** One delivery attempt. */
    record AttemptView(
            String deliveryId,
            String alertId,
            String rule,
            int attempt,
            String at,
            String outcome,
            Integer statusCode,
            String error,
            String nextAttemptAt) {}

    /** A subscription's delivery log, newest first. */
    record DeliveriesView(String subscriptionId, List<AttemptView> attempts) {}

    /** One alert fired. */
    record AlertView(
            String id,
            String eventKey,
            String rule,
            String type,
            String title,
            String firedAt,
            String summary,
            Map<String, String> facts) {}

    /** The alerts fired, newest first. */
    record AlertsView(List<AlertView> alerts) {}

    /** The SMTP settings: {@code password} is write-only, absent to keep the stored one, empty to remove it. */
    record SmtpBody(
            String host, Integer port, SmtpSettings.Security security, String username, String password, String from) {}

    /** The SMTP settings as shown: whether a password is set, never the password; {@code configured} false until set. */
    record SmtpView(
            boolean configured,
            String host,
            Integer port,
            String security,
            String username,
            String from,
            boolean passwordSet) {}

    private final AlertService alerts;
    private final Json json;

    AlertRoutes(AlertService alerts, Json json) {
        this.alerts = alerts;
        this.json = json;
    }

    void recent(Context ctx) {
        json.write(
                ctx,
                200,
                new AlertsView(alerts.recent(LIST_LIMIT).stream()
                        .map(AlertRoutes::view)
                        .toList()));
    }

    void rules(Context ctx) {
        json.write(
                ctx,
                200,
                new RulesView(alerts.rules().stream().map(AlertRoutes::view).toList()));
    }

    void setRule(Context ctx) {
        AlertRule rule = rule(ctx.pathParam("rule"));
        RuleBody body = json.read(ctx, RuleBody.class);
        RuleSetting now = alerts.rules().stream()
                .filter(setting -> setting.rule() == rule)
                .findFirst()
                .orElseThrow();
        AlertService.Result<RuleSetting> result = alerts.setRule(
                rule,
                body.enabled() != null ? body.enabled() : now.enabled(),
                body.days() != null ? body.days() : now.days(),
                body.percent() != null ? body.percent() : now.percent(),
                body.minutes() != null ? body.minutes() : now.minutes(),
                Authenticator.principal(ctx).auditName());
        json.write(ctx, 200, view(accepted(result)));
    }

    void subscriptions(Context ctx) {
        json.write(
                ctx,
                200,
                new SubscriptionsView(
                        alerts.subscriptions().stream().map(AlertRoutes::view).toList()));
    }

    void subscribe(Context ctx) {
        SubscriptionBody body = json.read(ctx, SubscriptionBody.class);
        switch (alerts.subscribe(
                body.name(),
                body.channel(),
                body.target(),
                body.rules(),
                Authenticator.principal(ctx).auditName())) {
            case SubscriptionCreation.Created created -> {
                Subscription subscription = created.subscription();
                json.write(
                        ctx,
                        201,
                        new CreatedView(
                                subscription.id(),
                                subscription.name(),
                                subscription.channel().name(),
                                subscription.target(),
                                subscription.createdAt().toString(),
                                subscription.createdBy(),
                                ruleNames(subscription),
                                subscription.rules().isEmpty(),
                                created.secret().orElse(null)));
            }
            case AlertSettingRefused refused -> throw Json.invalid(refused.field(), refused.message());
        }
    }

    void setSubscriptionRules(Context ctx) {
        String id = ctx.pathParam("id");
        AlertService.Result<Subscription> result = alerts.setSubscriptionRules(
                        id,
                        ruleNames(json.read(ctx, JsonNode.class)),
                        Authenticator.principal(ctx).auditName())
                .orElseThrow(() -> notFound(id));
        json.write(ctx, 200, view(accepted(result)));
    }

    void unsubscribe(Context ctx) {
        String id = ctx.pathParam("id");
        if (!alerts.unsubscribe(id, Authenticator.principal(ctx).auditName())) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    void deliveries(Context ctx) {
        String id = ctx.pathParam("id");
        List<DeliveryAttempt> attempts = alerts.deliveries(id, LIST_LIMIT).orElseThrow(() -> notFound(id));
        json.write(
                ctx,
                200,
                new DeliveriesView(id, attempts.stream().map(AlertRoutes::view).toList()));
    }

    void test(Context ctx) {
        String id = ctx.pathParam("id");
        DeliveryAttempt attempt =
                alerts.test(id, Authenticator.principal(ctx).auditName()).orElseThrow(() -> notFound(id));
        json.write(ctx, 200, view(attempt));
    }

    void smtp(Context ctx) {
        json.write(ctx, 200, view(alerts.smtp()));
    }

    void setSmtp(Context ctx) {
        SmtpBody body = json.read(ctx, SmtpBody.class);
        AlertService.Result<SmtpSettings> result = alerts.setSmtp(
                body.host(),
                body.port(),
                body.security(),
                Optional.ofNullable(body.username()),
                Optional.ofNullable(body.password()),
                body.from(),
                Authenticator.principal(ctx).auditName());
        json.write(ctx, 200, view(Optional.of(accepted(result))));
    }

    private static <T> T accepted(AlertService.Result<T> result) {
        if (result.refused().isPresent()) {
            AlertSettingRefused refused = result.refused().get();
            throw Json.invalid(refused.field(), refused.message());
        }
        return result.value().orElseThrow();
    }

    private static AlertRule rule(String name) {
        return Arrays.stream(AlertRule.values())
                .filter(AlertRule::configurable)
                .filter(rule -> rule.name().equals(name))
                .findFirst()
                .orElseThrow(() -> ProblemType.ALERT_RULE_NOT_FOUND.problem(
                        "no alert rule is named '" + name + "'; GET /api/v1/alerts/rules lists them",
                        Map.of("rule", name)));
    }

    private static ProblemException notFound(String id) {
        return ProblemType.SUBSCRIPTION_NOT_FOUND.problem(
                "no alert subscription has the ID '" + id + "'; GET /api/v1/alerts/subscriptions lists them",
                Map.of("id", id));
    }

    private static RuleView view(RuleSetting setting) {
        return new RuleView(
                setting.rule().name(),
                setting.rule().eventType(),
                setting.rule().title(),
                setting.enabled(),
                setting.days(),
                setting.percent(),
                setting.minutes());
    }

    private static SubscriptionView view(Subscription subscription) {
        return new SubscriptionView(
                subscription.id(),
                subscription.name(),
                subscription.channel().name(),
                subscription.target(),
                subscription.createdAt().toString(),
                subscription.createdBy(),
                ruleNames(subscription),
                subscription.rules().isEmpty());
    }

    /**
     * The rule names of a body {@code {"rules": [...]}}, or null for {@code {"rules": null}} (every rule); the field
     * is required, so that an empty or mistyped body does not silently mean every rule.
     */
    private static List<String> ruleNames(JsonNode body) {
        String expected = "field 'rules' is required: the names of the rules the subscription takes, e.g."
                + " [\"USAGE_HIGH\", \"DENIAL\"], or null for every rule (GET /api/v1/alerts/rules lists them)";
        JsonNode rules = body.path("rules");
        if (!body.isObject() || rules.isMissingNode()) {
            throw Json.invalid("rules", expected);
        }
        if (body.size() > 1) {
            throw Json.invalid("rules", "only the field 'rules' can be set here; " + expected);
        }
        if (rules.isNull()) {
            return null;
        }
        if (!rules.isArray()) {
            throw Json.invalid("rules", expected);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode rule : rules) {
            if (!rule.isTextual()) {
                throw Json.invalid("rules", expected);
            }
            names.add(rule.asText());
        }
        return names;
    }

    private static List<String> ruleNames(Subscription subscription) {
        return subscription.rulesTaken().stream().map(AlertRule::name).toList();
    }

    private static AttemptView view(DeliveryAttempt attempt) {
        return new AttemptView(
                attempt.deliveryId(),
                attempt.alertId(),
                attempt.rule().name(),
                attempt.attempt(),
                attempt.at().toString(),
                attempt.outcome().name(),
                attempt.statusCode().orElse(null),
                attempt.error().orElse(null),
                attempt.nextAttemptAt().map(Object::toString).orElse(null));
    }

    private static AlertView view(Alert alert) {
        return new AlertView(
                alert.id(),
                alert.eventKey(),
                alert.rule().name(),
                alert.rule().eventType(),
                alert.rule().title(),
                alert.firedAt().toString(),
                alert.summary(),
                alert.facts());
    }

    private static SmtpView view(Optional<SmtpSettings> smtp) {
        return smtp.map(settings -> new SmtpView(
                        true,
                        settings.host(),
                        settings.port(),
                        settings.security().name(),
                        settings.username().orElse(null),
                        settings.from(),
                        settings.passwordSet()))
                .orElse(new SmtpView(false, null, null, null, null, null, false));
    }
}
