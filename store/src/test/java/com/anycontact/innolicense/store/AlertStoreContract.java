package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.alert.Alert;
import com.anycontact.innolicense.alert.AlertRule;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.alert.Delivery;
import com.anycontact.innolicense.alert.DeliveryAttempt;
import com.anycontact.innolicense.alert.RuleSetting;
import com.anycontact.innolicense.alert.SmtpSettings;
import com.anycontact.innolicense.alert.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AlertStore} must do: above all, fire each event key once, across restarts ({@link
 * #reopenStore}) and across nodes ({@link #anotherNode}) racing for it.
 */
public abstract class AlertStoreContract {

    /** An instant in whole milliseconds, the precision every store keeps. */
    protected static final Instant T0 = Instant.parse("2027-03-02T09:00:00Z");

    /** The store under test, fresh for each test. */
    protected AlertStore store;

    /** A new, empty store; called before each test. */
    protected abstract AlertStore createStore() throws Exception;

    /** Closes the current store and opens a new one over the same data, as after a restart. */
    protected abstract AlertStore reopenStore() throws Exception;

    /** A store over the same data as another node of the installation would open it (for SQLite: the same file). */
    protected abstract AlertStore anotherNode() throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void fire_sameEventKeyTwice_firesOnce() {
        assertThat(store.fire(alert("a1", "grace-began:L-1:1", T0))).isTrue();
        assertThat(store.fire(alert("a2", "grace-began:L-1:1", T0.plusSeconds(1))))
                .isFalse();

        assertThat(store.recent(10)).extracting(Alert::id).containsExactly("a1");
    }

    @Test
    void fire_afterRestart_doesNotFireTheSameEventAgain() throws Exception {
        store.fire(alert("a1", "demo-began:L-1:1", T0));

        store = reopenStore();

        assertThat(store.fire(alert("a2", "demo-began:L-1:1", T0.plusSeconds(60))))
                .isFalse();
        assertThat(store.recent(10)).hasSize(1);
    }

    @Test
    void fire_keepsTheAlertAsGiven() {
        Alert alert = new Alert(
                "a1",
                "license-expiring:L-1:1:30d",
                AlertRule.LICENSE_EXPIRING,
                T0,
                "License L-1 ends in 30 days",
                Map.of("licenseId", "L-1", "note", "two\nlines, a \\ and = sign"));

        store.fire(alert);

        assertThat(store.recent(1)).containsExactly(alert);
    }

    @Test
    void fire_fromManyNodesAtOnce_firesOnce() throws Exception {
        int threads = 8;
        List<AlertStore> nodes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            nodes.add(i % 2 == 0 ? store : anotherNode());
        }
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> fired = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                AlertStore node = nodes.get(i);
                String id = "a" + i;
                fired.add(pool.submit(() -> {
                    gate.await();
                    return node.fire(alert(id, "usage-high:1700000000000", T0));
                }));
            }
            gate.countDown();
            int winners = 0;
            for (Future<Boolean> result : fired) {
                winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.recent(10)).hasSize(1);
    }

    @Test
    void fire_createsOnePendingDeliveryPerSubscription_dueAtOnce() {
        Subscription hook = subscription("sub_1", Subscription.Channel.WEBHOOK, "https://hooks.example.com/a");
        Subscription mail = subscription("sub_2", Subscription.Channel.EMAIL, "ops@example.com");
        store.createSubscription(hook, Optional.of("whsec_c2VjcmV0"));
        store.createSubscription(mail, Optional.empty());

        store.fire(alert("a1", "k1", T0));

        List<Delivery> due = store.takeDue(T0, 10, Duration.ofMinutes(5));
        assertThat(due).extracting(Delivery::id).containsExactlyInAnyOrder("msg_a1_sub_1", "msg_a1_sub_2");
        assertThat(due).allSatisfy(delivery -> {
            assertThat(delivery.attempts()).isZero();
            assertThat(delivery.firstDueAt()).isEqualTo(T0);
            assertThat(delivery.alert().eventKey()).isEqualTo("k1");
        });
        assertThat(due).extracting(Delivery::subscription).containsExactlyInAnyOrder(hook, mail);
    }

    @Test
    void fire_createsDeliveriesOnlyForSubscriptionsTakingItsRule() {
        store.createSubscription(
                subscription("sub_all", Subscription.Channel.WEBHOOK, "https://x.example/all"), secret());
        store.createSubscription(
                subscription("sub_usage", Subscription.Channel.WEBHOOK, "https://x.example/usage")
                        .withRules(Optional.of(Set.of(AlertRule.USAGE_HIGH, AlertRule.DENIAL))),
                secret());
        store.createSubscription(
                subscription("sub_grace", Subscription.Channel.EMAIL, "ops@example.com")
                        .withRules(Optional.of(Set.of(AlertRule.GRACE_BEGAN))),
                Optional.empty());

        store.fire(alert("a1", "k1", T0));
        store.fire(new Alert("a2", "k2", AlertRule.DENIAL, T0, "denied", Map.of()));

        assertThat(store.takeDue(T0, 10, Duration.ofMinutes(5)))
                .extracting(Delivery::id)
                .containsExactlyInAnyOrder("msg_a1_sub_all", "msg_a1_sub_grace", "msg_a2_sub_all", "msg_a2_sub_usage");
    }

    @Test
    void subscriptionRules_areKept_andReadBackByEveryNodeAndAfterARestart() throws Exception {
        Subscription chosen = subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/1")
                .withRules(Optional.of(Set.of(AlertRule.KEY_APPLIED, AlertRule.KEY_REJECTED)));
        Subscription every = subscription("sub_2", Subscription.Channel.EMAIL, "ops@example.com");
        store.createSubscription(chosen, secret());
        store.createSubscription(every, Optional.empty());

        assertThat(store.subscriptions()).containsExactly(chosen, every);
        assertThat(anotherNode().subscription("sub_1")).contains(chosen);
        store = reopenStore();
        assertThat(store.subscription("sub_1").orElseThrow().rules())
                .contains(Set.of(AlertRule.KEY_APPLIED, AlertRule.KEY_REJECTED));
        assertThat(store.subscription("sub_2").orElseThrow().rules()).isEmpty();
    }

    @Test
    void setSubscriptionRules_changesWhichAlertsReachItFromTheNextOneOn() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/1"), secret());

        assertThat(store.setSubscriptionRules("sub_1", Optional.of(Set.of(AlertRule.DENIAL))))
                .isTrue();
        store.fire(alert("a1", "k1", T0));
        assertThat(store.takeDue(T0, 10, Duration.ofMinutes(5))).isEmpty();
        assertThat(store.subscription("sub_1").orElseThrow().rules()).contains(Set.of(AlertRule.DENIAL));

        assertThat(store.setSubscriptionRules("sub_1", Optional.empty())).isTrue();
        store.fire(alert("a2", "k2", T0.plusSeconds(1)));
        assertThat(store.takeDue(T0.plusSeconds(1), 10, Duration.ofMinutes(5)))
                .extracting(Delivery::id)
                .containsExactly("msg_a2_sub_1");
        assertThat(store.subscription("sub_1").orElseThrow().rules()).isEmpty();

        assertThat(store.setSubscriptionRules("sub_none", Optional.empty())).isFalse();
    }

    @Test
    void takeDue_holdsWhatItTook_untilTheHoldEnds() throws Exception {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());
        store.fire(alert("a1", "k1", T0));

        assertThat(store.takeDue(T0, 10, Duration.ofMinutes(5))).hasSize(1);
        assertThat(anotherNode().takeDue(T0.plusSeconds(60), 10, Duration.ofMinutes(5)))
                .isEmpty();
        assertThat(anotherNode().takeDue(T0.plus(Duration.ofMinutes(5)), 10, Duration.ofMinutes(5)))
                .hasSize(1);
    }

    @Test
    void takeDue_fromManyNodesAtOnce_givesEachDeliveryToOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.createSubscription(
                    subscription("sub_" + i, Subscription.Channel.WEBHOOK, "https://x.example/" + i), secret());
        }
        store.fire(alert("a1", "k1", T0));
        int threads = 4;
        List<AlertStore> nodes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            nodes.add(anotherNode());
        }
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Delivery>>> taken = new ArrayList<>();
            for (AlertStore node : nodes) {
                taken.add(pool.submit(() -> {
                    gate.await();
                    return node.takeDue(T0, 10, Duration.ofMinutes(5));
                }));
            }
            gate.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<List<Delivery>> result : taken) {
                result.get(30, TimeUnit.SECONDS).forEach(delivery -> ids.add(delivery.id()));
            }
            assertThat(ids).hasSize(5).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordAttempt_failed_makesItDueAgainAtTheNextAttempt_andLogsIt() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());
        store.fire(alert("a1", "k1", T0));
        Delivery delivery = store.takeDue(T0, 10, Duration.ofMinutes(5)).get(0);
        Instant next = T0.plusSeconds(30);

        store.recordAttempt(attempt(delivery, 1, T0, DeliveryAttempt.Outcome.FAILED, 503, Optional.of(next)));

        assertThat(store.takeDue(next.minusMillis(1), 10, Duration.ofMinutes(5)))
                .isEmpty();
        List<Delivery> again = store.takeDue(next, 10, Duration.ofMinutes(5));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempts()).isEqualTo(1);
        assertThat(again.get(0).firstDueAt()).isEqualTo(T0);
        assertThat(store.attempts("sub_1", 10)).singleElement().satisfies(logged -> {
            assertThat(logged.outcome()).isEqualTo(DeliveryAttempt.Outcome.FAILED);
            assertThat(logged.statusCode()).contains(503);
            assertThat(logged.nextAttemptAt()).contains(next);
            assertThat(logged.error()).contains("the receiver answered 503");
        });
    }

    @Test
    void recordAttempt_delivered_isNeverDueAgain_andTheLogIsNewestFirst() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());
        store.fire(alert("a1", "k1", T0));
        Delivery delivery = store.takeDue(T0, 10, Duration.ofMinutes(5)).get(0);
        store.recordAttempt(
                attempt(delivery, 1, T0, DeliveryAttempt.Outcome.FAILED, 500, Optional.of(T0.plusSeconds(30))));
        Delivery retry =
                store.takeDue(T0.plusSeconds(30), 10, Duration.ofMinutes(5)).get(0);

        store.recordAttempt(
                attempt(retry, 2, T0.plusSeconds(30), DeliveryAttempt.Outcome.DELIVERED, 204, Optional.empty()));

        assertThat(store.takeDue(T0.plus(Duration.ofDays(2)), 10, Duration.ofMinutes(5)))
                .isEmpty();
        assertThat(store.attempts("sub_1", 10))
                .extracting(DeliveryAttempt::attempt, DeliveryAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, DeliveryAttempt.Outcome.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple(1, DeliveryAttempt.Outcome.FAILED));
    }

    @Test
    void recordAttempt_gaveUp_isNeverDueAgain() {
        store.createSubscription(
                subscription("sub_1", Subscription.Channel.EMAIL, "ops@example.com"), Optional.empty());
        store.fire(alert("a1", "k1", T0));
        Delivery delivery = store.takeDue(T0, 10, Duration.ofMinutes(5)).get(0);

        store.recordAttempt(attempt(delivery, 8, T0, DeliveryAttempt.Outcome.GAVE_UP, 550, Optional.empty()));

        assertThat(store.takeDue(T0.plus(Duration.ofDays(3)), 10, Duration.ofMinutes(5)))
                .isEmpty();
    }

    @Test
    void recordAttempt_ofATestEvent_isOnlyLogged() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());

        store.recordAttempt(new DeliveryAttempt(
                "msg_t1_sub_1",
                "sub_1",
                "t1",
                AlertRule.TEST,
                1,
                T0,
                DeliveryAttempt.Outcome.DELIVERED,
                Optional.of(200),
                Optional.empty(),
                Optional.empty()));

        assertThat(store.attempts("sub_1", 10))
                .extracting(DeliveryAttempt::rule)
                .containsExactly(AlertRule.TEST);
        assertThat(store.takeDue(T0, 10, Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void fireThrottled_letsOneAlertThroughPerGap() throws Exception {
        Duration gap = Duration.ofMinutes(60);

        assertThat(store.fireThrottled(alert("a1", "denial:1", T0), "denial", gap))
                .isTrue();
        assertThat(store.fireThrottled(alert("a2", "denial:2", T0.plus(Duration.ofMinutes(59))), "denial", gap))
                .isFalse();
        store = reopenStore();
        assertThat(store.fireThrottled(alert("a3", "denial:3", T0.plus(gap)), "denial", gap))
                .isTrue();

        assertThat(store.recent(10)).extracting(Alert::id).containsExactly("a3", "a1");
    }

    @Test
    void fireThrottled_fromManyNodesAtOnce_letsOneThrough() throws Exception {
        int threads = 6;
        List<AlertStore> nodes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            nodes.add(anotherNode());
        }
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> fired = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                AlertStore node = nodes.get(i);
                int n = i;
                fired.add(pool.submit(() -> {
                    gate.await();
                    return node.fireThrottled(
                            alert("a" + n, "denial:" + n, T0.plusMillis(n)), "denial", Duration.ofMinutes(60));
                }));
            }
            gate.countDown();
            int winners = 0;
            for (Future<Boolean> result : fired) {
                winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void episodeSince_keepsTheFirstStart_acrossRestarts_untilEnded() throws Exception {
        assertThat(store.episodeSince("usage-high", T0)).isEqualTo(T0);
        assertThat(anotherNode().episodeSince("usage-high", T0.plusSeconds(5))).isEqualTo(T0);
        store = reopenStore();
        assertThat(store.episodeSince("usage-high", T0.plusSeconds(60))).isEqualTo(T0);

        store.endEpisode("usage-high");

        assertThat(store.episodeSince("usage-high", T0.plusSeconds(90))).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void rules_areEmptyUntilSet_thenReplaced() throws Exception {
        assertThat(store.rules()).isEmpty();

        store.saveRule(new RuleSetting(AlertRule.USAGE_HIGH, true, List.of(30), 80, 10), T0, "admin");
        store.saveRule(new RuleSetting(AlertRule.USAGE_HIGH, false, List.of(30), 95, 5), T0, "admin");
        store.saveRule(new RuleSetting(AlertRule.LICENSE_EXPIRING, true, List.of(1, 60, 14), 90, 15), T0, "admin");
        store = reopenStore();

        assertThat(store.rules())
                .containsExactlyInAnyOrder(
                        new RuleSetting(AlertRule.USAGE_HIGH, false, List.of(30), 95, 5),
                        new RuleSetting(AlertRule.LICENSE_EXPIRING, true, List.of(60, 14, 1), 90, 15));
    }

    @Test
    void subscriptions_keepTheirSecretApart_andDeletingOneRemovesItsDeliveriesAndLog() {
        Subscription hook = subscription("sub_1", Subscription.Channel.WEBHOOK, "https://hooks.example.com/a");
        Subscription mail = subscription("sub_2", Subscription.Channel.EMAIL, "ops@example.com");
        store.createSubscription(hook, Optional.of("whsec_c2VjcmV0"));
        store.createSubscription(mail, Optional.empty());
        store.fire(alert("a1", "k1", T0));
        Delivery toHook = store.takeDue(T0, 10, Duration.ofMinutes(5)).stream()
                .filter(delivery -> delivery.subscription().equals(hook))
                .findFirst()
                .orElseThrow();
        store.recordAttempt(
                attempt(toHook, 1, T0, DeliveryAttempt.Outcome.FAILED, 500, Optional.of(T0.plusSeconds(30))));

        assertThat(store.subscriptions()).containsExactly(hook, mail);
        assertThat(store.subscription("sub_1")).contains(hook);
        assertThat(store.secret("sub_1")).contains("whsec_c2VjcmV0");
        assertThat(store.secret("sub_2")).isEmpty();

        assertThat(store.deleteSubscription("sub_1")).isTrue();
        assertThat(store.deleteSubscription("sub_1")).isFalse();

        assertThat(store.subscriptions()).containsExactly(mail);
        assertThat(store.attempts("sub_1", 10)).isEmpty();
        assertThat(store.takeDue(T0.plus(Duration.ofMinutes(10)), 10, Duration.ofMinutes(5)))
                .extracting(Delivery::subscription)
                .containsExactly(mail);
    }

    @Test
    void smtp_keepsThePasswordApart_keepsItWhenNotGiven_andRemovesItWhenEmpty() throws Exception {
        assertThat(store.smtp()).isEmpty();
        SmtpSettings settings = new SmtpSettings(
                "smtp.example.com",
                587,
                SmtpSettings.Security.STARTTLS,
                Optional.of("alerts"),
                "lic@example.com",
                false);

        store.saveSmtp(settings, Optional.of("s3cret password"));
        assertThat(store.smtp()).contains(withPassword(settings, true));
        assertThat(store.smtpPassword()).contains("s3cret password");

        SmtpSettings moved = new SmtpSettings(
                "mail.example.com", 465, SmtpSettings.Security.TLS, Optional.of("alerts"), "lic@example.com", false);
        store.saveSmtp(moved, Optional.empty());
        store = reopenStore();
        assertThat(store.smtp()).contains(withPassword(moved, true));
        assertThat(store.smtpPassword()).contains("s3cret password");

        store.saveSmtp(moved, Optional.of(""));
        assertThat(store.smtp()).contains(withPassword(moved, false));
        assertThat(store.smtpPassword()).isEmpty();
    }

    @Test
    void prune_removesDeliveredAndGivenUpAlertsBeforeTheCutOff_withTheirDeliveriesAndLog() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());
        Instant day = T0;
        store.fire(alert("a1", "denial:1", AlertRule.DENIAL, day));
        store.recordAttempt(attempt(
                store.takeDue(day, 10, Duration.ofMinutes(5)).get(0),
                1,
                day,
                DeliveryAttempt.Outcome.DELIVERED,
                204,
                Optional.empty()));
        Instant later = T0.plus(Duration.ofDays(1));
        store.fire(alert("a2", "denial:2", AlertRule.DENIAL, later));
        store.recordAttempt(attempt(
                store.takeDue(later, 10, Duration.ofMinutes(5)).get(0),
                8,
                later,
                DeliveryAttempt.Outcome.GAVE_UP,
                500,
                Optional.empty()));
        Instant recent = T0.plus(Duration.ofDays(10));
        store.fire(alert("a3", "denial:3", AlertRule.DENIAL, recent));
        store.recordAttempt(attempt(
                store.takeDue(recent, 10, Duration.ofMinutes(5)).get(0),
                1,
                recent,
                DeliveryAttempt.Outcome.DELIVERED,
                204,
                Optional.empty()));

        AlertStore.Pruned pruned = store.prune(T0.plus(Duration.ofDays(5)));

        assertThat(pruned).isEqualTo(new AlertStore.Pruned(2, 2, 2));
        assertThat(store.recent(10)).extracting(Alert::id).containsExactly("a3");
        assertThat(store.attempts("sub_1", 10))
                .extracting(DeliveryAttempt::alertId)
                .containsExactly("a3");
        assertThat(store.prune(T0.plus(Duration.ofDays(5)))).isEqualTo(new AlertStore.Pruned(0, 0, 0));
    }

    @Test
    void prune_keepsADeliveryStillBeingRetried_withItsAttemptsAndItsAlert() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());
        store.fire(alert("a1", "denial:1", AlertRule.DENIAL, T0));
        Instant retry = T0.plus(Duration.ofHours(11));
        store.recordAttempt(attempt(
                store.takeDue(T0, 10, Duration.ofMinutes(5)).get(0),
                6,
                T0,
                DeliveryAttempt.Outcome.FAILED,
                503,
                Optional.of(retry)));
        store.fire(alert("a2", "denial:2", AlertRule.DENIAL, T0.plus(Duration.ofHours(2))));

        AlertStore.Pruned pruned = store.prune(T0.plus(Duration.ofHours(10)));

        assertThat(pruned).isEqualTo(new AlertStore.Pruned(0, 0, 0));
        assertThat(store.recent(10)).extracting(Alert::id).containsExactly("a2", "a1");
        assertThat(store.attempts("sub_1", 10))
                .extracting(DeliveryAttempt::alertId)
                .containsExactly("a1");
        assertThat(store.takeDue(retry, 10, Duration.ofMinutes(5)))
                .extracting(Delivery::id)
                .contains("msg_a1_sub_1");
    }

    @Test
    void prune_keepsTheNewestAlertOfEachRule_soThatAConditionStillHoldingDoesNotFireAgain() throws Exception {
        store.fire(alert("a0", "demo-began:L-0:1", AlertRule.DEMO_BEGAN, T0.minus(Duration.ofDays(400))));
        store.fire(alert("a1", "demo-began:L-1:1", AlertRule.DEMO_BEGAN, T0));
        store.fire(alert("a2", "grace-began:L-1:1", AlertRule.GRACE_BEGAN, T0.minus(Duration.ofDays(14))));

        AlertStore.Pruned pruned = store.prune(T0.plus(Duration.ofDays(365)));
        store = reopenStore();

        assertThat(pruned).isEqualTo(new AlertStore.Pruned(1, 0, 0));
        assertThat(store.recent(10)).extracting(Alert::id).containsExactlyInAnyOrder("a1", "a2");
        assertThat(store.fire(alert("a3", "demo-began:L-1:1", AlertRule.DEMO_BEGAN, T0.plus(Duration.ofDays(366)))))
                .isFalse();
    }

    @Test
    void prune_removesTheLogOfTestEventsBeforeTheCutOff() {
        store.createSubscription(subscription("sub_1", Subscription.Channel.WEBHOOK, "https://x.example/h"), secret());
        for (int day = 0; day < 3; day++) {
            store.recordAttempt(new DeliveryAttempt(
                    "msg_t" + day + "_sub_1",
                    "sub_1",
                    "t" + day,
                    AlertRule.TEST,
                    1,
                    T0.plus(Duration.ofDays(day)),
                    DeliveryAttempt.Outcome.DELIVERED,
                    Optional.of(200),
                    Optional.empty(),
                    Optional.empty()));
        }

        AlertStore.Pruned pruned = store.prune(T0.plus(Duration.ofDays(2)));

        assertThat(pruned).isEqualTo(new AlertStore.Pruned(0, 0, 2));
        assertThat(store.attempts("sub_1", 10))
                .extracting(DeliveryAttempt::alertId)
                .containsExactly("t2");
    }

    private static SmtpSettings withPassword(SmtpSettings settings, boolean set) {
        return new SmtpSettings(
                settings.host(), settings.port(), settings.security(), settings.username(), settings.from(), set);
    }

    private static Optional<String> secret() {
        return Optional.of("whsec_c2VjcmV0");
    }

    /** An alert of the given ID and key, fired at {@code at}. */
    protected static Alert alert(String id, String key, Instant at) {
        return new Alert(id, key, AlertRule.GRACE_BEGAN, at, "grace began", Map.of("licenseId", "L-1"));
    }

    /** An alert of the given ID, key and rule, fired at {@code at}. */
    protected static Alert alert(String id, String key, AlertRule rule, Instant at) {
        return new Alert(id, key, rule, at, "alert " + id, Map.of("licenseId", "L-1"));
    }

    private static Subscription subscription(String id, Subscription.Channel channel, String target) {
        return new Subscription(id, "name of " + id, channel, target, T0, "admin");
    }

    private static DeliveryAttempt attempt(
            Delivery delivery,
            int number,
            Instant at,
            DeliveryAttempt.Outcome outcome,
            int code,
            Optional<Instant> next) {
        return new DeliveryAttempt(
                delivery.id(),
                delivery.subscription().id(),
                delivery.alert().id(),
                delivery.alert().rule(),
                number,
                at,
                outcome,
                Optional.of(code),
                outcome == DeliveryAttempt.Outcome.DELIVERED
                        ? Optional.empty()
                        : Optional.of("the receiver answered " + code),
                next);
    }
}
