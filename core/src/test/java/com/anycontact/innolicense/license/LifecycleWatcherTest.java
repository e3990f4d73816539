package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LifecycleLicenses.at;
import static com.anycontact.innolicense.license.SignedKeys.key;
import static com.anycontact.innolicense.license.SignedKeys.license;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.audit.InMemoryAuditLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class LifecycleWatcherTest {

    private static final Instant JANUARY = at("2027-01-15T10:00:00+01:00[Europe/Berlin]");

    private final MutableClock clock = new MutableClock(JANUARY);
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final TrustedClock trusted = new TrustedClock(
            clock, clock.ticker(), Instant.EPOCH, Duration.ofMinutes(5), new ClockJumpRecorder(audit, Runnable::run));
    private final InMemoryInstallationStore installation = new InMemoryInstallationStore();
    private final LicenseService licenses = new LicenseService(
            LifecycleLicenses.INSTALLATION, SignedKeys.verifier(), new InMemoryLicenseStore(), trusted, audit);
    private final List<LicenseStatus> told = new ArrayList<>();

    private LifecycleWatcher watcher(AuditLog auditLog) {
        return new LifecycleWatcher(licenses, installation, trusted, auditLog, told::add);
    }

    @Test
    void tick_everySecondThroughTheTermAndGrace_auditsActiveToGraceToDemoOnceEachAtItsInstant() {
        License license = license(1).build();
        licenses.apply(key(license), "admin");
        LifecycleWatcher watcher = watcher(audit);

        tickEverySecondAround(watcher, license.end());
        tickEverySecondAround(watcher, license.graceEnd());
        clock.advance(Duration.ofDays(30));
        watcher.tick();

        assertThat(lifecycleEvents())
                .containsExactly(
                        tuple(
                                license.end(),
                                Type.STATE_CHANGED,
                                "ACTIVE -> GRACE; capacity 25 -> 25; license LIC-1 (serial 1)"),
                        tuple(
                                license.graceEnd(),
                                Type.STATE_CHANGED,
                                "GRACE -> DEMO; capacity 25 -> 2; license LIC-1 (serial 1)"),
                        tuple(
                                license.graceEnd(),
                                Type.CAPACITY_REDUCED,
                                "capacity 25 -> 2; GRACE -> DEMO; license LIC-1 (serial 1)"));
        assertThat(audit.events(Type.STATE_CHANGED))
                .allSatisfy(event -> assertThat(event.actor()).isEqualTo(AuditEvent.SYSTEM));
        assertThat(told)
                .extracting(LicenseStatus::state, LicenseStatus::capacity)
                .containsExactly(tuple(LicenseState.GRACE, 25), tuple(LicenseState.DEMO, 2));
    }

    @Test
    void aTransitionSeenByAFollower_isAuditedOnceByItWhenItTakesOverTheLeadership() {
        License license = license(1).build();
        licenses.apply(key(license), "admin");
        LifecycleAudit shared = LifecycleAudit.inMemory(audit);
        LifecycleWatcher oldLeader = new LifecycleWatcher(licenses, installation, trusted, shared, told::add);
        LifecycleWatcher follower = new LifecycleWatcher(licenses, installation, trusted, shared, status -> {});
        oldLeader.tick(true);
        follower.tick(false);

        clock.advance(Duration.between(clock.instant(), license.end()).plusSeconds(1));
        follower.tick(false);
        follower.tick(true);
        follower.tick(true);
        oldLeader.tick(true);

        assertThat(audit.events(Type.STATE_CHANGED))
                .extracting(AuditEvent::detail)
                .as("the old leader had died before the transition; the new one catches up, once")
                .containsExactly("ACTIVE -> GRACE; capacity 25 -> 25; license LIC-1 (serial 1)");
    }

    @Test
    void tick_everySecondAroundTheStartOfAFutureDatedKey_auditsPendingToActiveAtItsStart() {
        License future = license(1).start("2027-03-01").build();
        licenses.apply(key(future), "admin");
        LifecycleWatcher watcher = watcher(audit);

        tickEverySecondAround(watcher, future.start());

        assertThat(lifecycleEvents())
                .containsExactly(tuple(
                        future.start(),
                        Type.STATE_CHANGED,
                        "PENDING -> ACTIVE; capacity 2 -> 25; license none -> LIC-1 (serial 1)"));
        assertThat(told).extracting(LicenseStatus::state).containsExactly(LicenseState.ACTIVE);
    }

    @Test
    void tick_atTheStartOfARenewalWithFewerSeats_auditsTheLicenseChangeAndTheCapacityReduction() {
        License current = license(1).build();
        License renewal = license(2).start("2027-12-01").seats(10).build();
        licenses.apply(key(current), "admin");
        licenses.apply(key(renewal), "admin");
        LifecycleWatcher watcher = watcher(audit);

        tickEverySecondAround(watcher, renewal.start());

        assertThat(lifecycleEvents())
                .containsExactly(
                        tuple(
                                renewal.start(),
                                Type.STATE_CHANGED,
                                "ACTIVE -> ACTIVE; capacity 25 -> 10; license LIC-1 (serial 1) -> LIC-2 (serial 2)"),
                        tuple(
                                renewal.start(),
                                Type.CAPACITY_REDUCED,
                                "capacity 25 -> 10; ACTIVE -> ACTIVE; license LIC-2 (serial 2)"));
    }

    @Test
    void tick_afterAKeyWasAppliedInDemo_auditsTheChangeAndTellsTheListener() {
        License lapsed = license(1).build();
        licenses.apply(key(lapsed), "admin");
        clock.set(lapsed.graceEnd().plus(Duration.ofDays(3)));
        LifecycleWatcher watcher = watcher(audit);
        License renewal = license(2).start("2027-12-15").build();

        licenses.apply(key(renewal), "admin");
        watcher.tick();

        assertThat(lifecycleEvents())
                .containsExactly(tuple(
                        clock.instant(),
                        Type.STATE_CHANGED,
                        "DEMO -> ACTIVE; capacity 2 -> 25; license LIC-1 (serial 1) -> LIC-2 (serial 2)"));
        assertThat(told).extracting(LicenseStatus::current).containsExactly(Optional.of(renewal));
    }

    @Test
    void tick_withoutAChange_auditsNothingAndTellsNoOne() {
        licenses.apply(key(license(1).build()), "admin");
        LifecycleWatcher watcher = watcher(audit);

        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofHours(1));
            watcher.tick();
        }

        assertThat(lifecycleEvents()).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    void tick_savesTheTrustedTimeMarkWhichNeverMovesBack() {
        LifecycleWatcher watcher = watcher(audit);
        watcher.tick();
        assertThat(installation.trustedTimeMark()).isEqualTo(JANUARY);

        clock.rewind(Duration.ofDays(10));
        watcher.tick();
        assertThat(installation.trustedTimeMark()).isEqualTo(JANUARY);

        clock.stepForward(Duration.ofDays(10));
        clock.advance(Duration.ofSeconds(5));
        watcher.tick();
        assertThat(installation.trustedTimeMark()).isEqualTo(JANUARY.plusSeconds(5));
    }

    @Test
    void tick_whileTheClockIsSetBackFromDemoToMidTerm_keepsDemoAndAuditsTheJumpOnce() {
        License license = license(1).build();
        licenses.apply(key(license), "admin");
        clock.set(license.graceEnd().plusSeconds(1));
        LifecycleWatcher watcher = watcher(audit);

        clock.set(at("2027-06-01T12:00:00+02:00[Europe/Berlin]"));
        for (int i = 0; i < 60; i++) {
            watcher.tick();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(licenses.status().state()).isEqualTo(LicenseState.DEMO);
        assertThat(lifecycleEvents()).isEmpty();
        assertThat(audit.events(Type.CLOCK_JUMP))
                .singleElement()
                .satisfies(event ->
                        assertThat(event.at()).isEqualTo(license.graceEnd().plusSeconds(1)));
    }

    @Test
    void tick_whenTheAuditLogFails_reportsTheChangeAtTheNextTick() {
        License license = license(1).build();
        licenses.apply(key(license), "admin");
        AtomicBoolean failing = new AtomicBoolean(true);
        AuditLog flaky = new AuditLog() {
            @Override
            public void record(Instant at, String actor, Type type, String detail) {
                if (failing.get()) {
                    throw new IllegalStateException("disk full");
                }
                audit.record(at, actor, type, detail);
            }

            @Override
            public List<AuditEvent> find(AuditQuery query) {
                return audit.find(query);
            }
        };
        LifecycleWatcher watcher = watcher(flaky);
        clock.set(license.end());

        assertThatThrownBy(watcher::tick).hasMessage("disk full");
        watcher.run();
        failing.set(false);
        watcher.tick();
        watcher.tick();

        assertThat(lifecycleEvents()).extracting(event -> event.toList().get(1)).containsExactly(Type.STATE_CHANGED);
        assertThat(told).hasSize(1);
    }

    private void tickEverySecondAround(LifecycleWatcher watcher, Instant instant) {
        clock.set(instant.minusSeconds(5));
        for (int second = 0; second <= 10; second++) {
            watcher.tick();
            watcher.tick();
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private List<Tuple> lifecycleEvents() {
        return audit.events().stream()
                .filter(event -> event.type() == Type.STATE_CHANGED || event.type() == Type.CAPACITY_REDUCED)
                .map(event -> tuple(event.at(), event.type(), event.detail()))
                .toList();
    }
}
