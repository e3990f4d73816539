package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.store.TestLicenses.INSTALLATION;
import static com.anycontact.innolicense.store.TestLicenses.key;
import static com.anycontact.innolicense.store.TestLicenses.license;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.license.ApplyResult.Applied;
import com.anycontact.innolicense.license.ApplyResult.Refused;
import com.anycontact.innolicense.store.TestLicenses;
import com.anycontact.innolicense.store.sqlite.SqliteAuditLog;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteInstallationStore;
import com.anycontact.innolicense.store.sqlite.SqliteLicenseStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The license service and lifecycle watcher over the real SQLite adapters, across restarts: what a server
 * does at start (installation ID, trusted-time mark, applied licenses) and when a key is applied.
 */
class LicenseServiceSqliteTest {

    private static final Instant JANUARY =
            ZonedDateTime.parse("2027-01-15T10:00:00+01:00[Europe/Berlin]").toInstant();

    @TempDir
    Path dataDirectory;

    private final AtomicReference<Instant> systemClock = new AtomicReference<>(JANUARY);
    private final AtomicLong ticker = new AtomicLong();
    private SqliteDatabase database;
    private SqliteInstallationStore installation;
    private SqliteAuditLog audit;
    private TrustedClock trusted;
    private LicenseService service;

    @BeforeEach
    void startServer() {
        database = SqliteDatabase.open(dataDirectory);
        installation = new SqliteInstallationStore(database);
        audit = new SqliteAuditLog(database);
        SqliteLicenseStore licenses = new SqliteLicenseStore(database);
        trusted = new TrustedClock(
                systemClock::get,
                ticker::get,
                TrustedTimeFloor.of(installation, licenses, audit).at(),
                Duration.ofMinutes(5),
                new ClockJumpRecorder(audit, Runnable::run));
        InstallationId id = installation.installationId(() -> INSTALLATION);
        service = new LicenseService(id, TestLicenses.verifier(), licenses, trusted, audit);
    }

    @AfterEach
    void stopServer() {
        database.close();
    }

    /** Time passes until {@code instant}: the system clock and the monotonic clock move together. */
    private void timePassesUntil(Instant instant) {
        ticker.addAndGet(Duration.between(systemClock.get(), instant).toNanos());
        systemClock.set(instant);
    }

    private void restartServer() {
        database.close();
        startServer();
    }

    @Test
    void apply_eachOutcome_isReturnedAuditedAndStoredOnlyWhenApplied() {
        License current = license(2, "2026-12-01", 40);
        License renewal = license(3, "2027-12-01", 60);
        License foreign = license("LIC-X", 4, "2026-12-01", 10, new InstallationId("IACD-0000-1111-2222-3333"));

        ApplyResult applied = service.apply(key(current), "admin");
        ApplyResult older = service.apply(key(license(1, "2026-12-01", 10)), "admin");
        ApplyResult equal = service.apply(key(license("LIC-2-BIS", 2, "2026-12-01", 10, INSTALLATION)), "admin");
        ApplyResult wrongInstallation = service.apply(key(foreign), "admin");
        ApplyResult preview = service.preview(key(renewal));
        ApplyResult pending = service.apply(key(renewal), "alice");

        assertThat(applied).isInstanceOf(Applied.class);
        assertThat(((Applied) applied).status().state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(reason(older)).isEqualTo(RejectionReason.SUPERSEDED);
        assertThat(reason(equal)).isEqualTo(RejectionReason.SUPERSEDED);
        assertThat(reason(wrongInstallation)).isEqualTo(RejectionReason.WRONG_INSTALLATION);
        assertThat(preview).isEqualTo(pending);
        LicenseStatus afterRenewal = ((Applied) pending).status();
        assertThat(afterRenewal.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(afterRenewal.current()).contains(current);
        assertThat(afterRenewal.pending()).contains(renewal);
        assertThat(service.history()).extracting(a -> a.license().serial()).containsExactly(2L, 3L);
        assertThat(audit.find(AuditQuery.newest(100)))
                .extracting(AuditEvent::actor, AuditEvent::type)
                .containsExactly(
                        tuple("alice", Type.KEY_APPLIED),
                        tuple("admin", Type.KEY_REJECTED),
                        tuple("admin", Type.KEY_REJECTED),
                        tuple("admin", Type.KEY_REJECTED),
                        tuple("admin", Type.KEY_APPLIED));
    }

    @Test
    void apply_ofAKeyPastItsGraceEnd_isRefusedAsExpired() {
        License lapsed = license(1, "2026-12-01", 40);
        timePassesUntil(lapsed.graceEnd());

        assertThat(reason(service.apply(key(lapsed), "admin"))).isEqualTo(RejectionReason.EXPIRED);
        assertThat(service.history()).isEmpty();
    }

    @Test
    void restart_bringsBackTheInstallationIdTheLicensesAndTheAuditLog() {
        License current = license(1, "2026-12-01", 40);
        service.apply(key(current), "admin");
        service.apply(key(current), "admin");
        List<AppliedLicense> history = service.history();
        List<AuditEvent> events = audit.find(AuditQuery.newest(100));

        restartServer();

        assertThat(service.installationId()).isEqualTo(INSTALLATION);
        assertThat(installation.installationId(() -> new InstallationId("IACD-0000-0000-0000-0000")))
                .isEqualTo(INSTALLATION);
        assertThat(service.history()).isEqualTo(history);
        assertThat(service.status().state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(service.status().capacity()).isEqualTo(40);
        assertThat(audit.find(AuditQuery.newest(100))).isEqualTo(events);
    }

    @Test
    void restart_withTheClockSetBack_keepsALapsedLicenseInDemoByThePersistedMark() {
        License lapsed = license(1, "2026-12-01", 40);
        service.apply(key(lapsed), "admin");
        LifecycleWatcher watcher = new LifecycleWatcher(service, installation, trusted, audit, status -> {});
        timePassesUntil(lapsed.graceEnd().plusSeconds(10));
        watcher.tick();
        assertThat(service.status().state()).isEqualTo(LicenseState.DEMO);

        systemClock.set(JANUARY);
        restartServer();

        assertThat(installation.trustedTimeMark()).isEqualTo(lapsed.graceEnd().plusSeconds(10));
        assertThat(service.status().state()).isEqualTo(LicenseState.DEMO);
        assertThat(audit.find(AuditQuery.newest(10).withType(Type.CLOCK_JUMP))).hasSize(1);
        assertThat(audit.find(AuditQuery.newest(10).withType(Type.STATE_CHANGED)))
                .extracting(AuditEvent::detail)
                .containsExactly("ACTIVE -> DEMO; capacity 40 -> 2; license LIC-1 (serial 1)");
    }

    @Test
    void restart_ofARestoredCopyWithoutItsMarkAndTheClockSetBack_keepsALapsedLicenseInDemoByTheAuditLog()
            throws Exception {
        License lapsed = license(1, "2026-12-01", 40);
        service.apply(key(lapsed), "admin");
        LifecycleWatcher watcher = new LifecycleWatcher(service, installation, trusted, audit, status -> {});
        timePassesUntil(lapsed.graceEnd().plusSeconds(10));
        watcher.tick();
        assertThat(service.status().state()).isEqualTo(LicenseState.DEMO);
        database.close();

        // What a customer who wants the lapsed license back can do without editing the audit log or the
        // signed licenses: restore a copy whose mark is older (here: no mark at all) and set the clock back.
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve("innolicense.db"))) {
            sql.createStatement().executeUpdate("UPDATE installation SET trusted_time_mark = 0");
        }
        systemClock.set(JANUARY);
        startServer();

        assertThat(installation.trustedTimeMark()).isEqualTo(Instant.EPOCH);
        assertThat(service.status().state()).isEqualTo(LicenseState.DEMO);
        assertThat(service.status().evaluatedAt()).isEqualTo(lapsed.graceEnd().plusSeconds(10));
        assertThat(audit.find(AuditQuery.newest(10).withType(Type.CLOCK_JUMP)))
                .singleElement()
                .extracting(AuditEvent::detail, InstanceOfAssertFactories.STRING)
                .contains("behind trusted time " + lapsed.graceEnd().plusSeconds(10));
    }

    @Test
    void restart_afterAForwardStepDuringTheRun_doesNotStartFromTheStep() {
        License current = license(1, "2026-12-01", 40);
        service.apply(key(current), "admin");
        LifecycleWatcher watcher = new LifecycleWatcher(service, installation, trusted, audit, status -> {});
        Instant beforeStep = current.graceEnd().minus(Duration.ofDays(1));
        timePassesUntil(beforeStep);
        watcher.tick();

        systemClock.set(beforeStep.plus(Duration.ofDays(30)));
        ticker.addAndGet(Duration.ofSeconds(5).toNanos());
        watcher.tick();
        assertThat(service.status().state()).isEqualTo(LicenseState.GRACE);
        assertThat(installation.trustedTimeMark()).isEqualTo(beforeStep.plusSeconds(5));
        systemClock.set(beforeStep.plusSeconds(10));
        restartServer();

        assertThat(service.status().state()).isEqualTo(LicenseState.GRACE);
        assertThat(service.status().evaluatedAt()).isEqualTo(beforeStep.plusSeconds(10));
    }

    @Test
    void apply_ofTwoKeysWithTheSameSerialAtOnce_appliesExactlyOne() throws Exception {
        String first = key(license("LIC-7-A", 7, "2026-12-01", 10, INSTALLATION));
        String second = key(license("LIC-7-B", 7, "2026-12-01", 20, INSTALLATION));
        int threads = 8;
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<ApplyResult> outcomes = new ArrayList<>();
        try {
            List<Future<ApplyResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String text = i % 2 == 0 ? first : second;
                results.add(executor.submit(() -> {
                    startGate.await();
                    return service.apply(text, "admin");
                }));
            }
            startGate.countDown();
            for (Future<ApplyResult> result : results) {
                outcomes.add(result.get());
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(outcomes).filteredOn(Applied.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(Refused.class::isInstance).hasSize(threads - 1);
        assertThat(new SqliteLicenseStore(database).all()).hasSize(1);
        assertThat(audit.find(AuditQuery.newest(100).withType(Type.KEY_APPLIED)))
                .hasSize(1);
        assertThat(audit.find(AuditQuery.newest(100).withType(Type.KEY_REJECTED)))
                .hasSize(threads - 1);
    }

    private static RejectionReason reason(ApplyResult result) {
        assertThat(result).isInstanceOf(Refused.class);
        return ((Refused) result).reason();
    }
}
