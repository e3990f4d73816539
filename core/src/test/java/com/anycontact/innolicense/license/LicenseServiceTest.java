package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LifecycleLicenses.at;
import static com.anycontact.innolicense.license.SignedKeys.key;
import static com.anycontact.innolicense.license.SignedKeys.license;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.InMemoryAuditLog;
import com.anycontact.innolicense.license.ApplyResult.Applied;
import com.anycontact.innolicense.license.ApplyResult.Refused;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LicenseServiceTest {

    private static final Instant JANUARY = at("2027-01-15T10:00:00+01:00[Europe/Berlin]");
    private static final InstallationId OTHER_INSTALLATION = new InstallationId("IACD-0000-1111-2222-3333");

    private final MutableClock clock = new MutableClock(JANUARY);
    private final InMemoryLicenseStore store = new InMemoryLicenseStore();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private LicenseService service = newService();

    private LicenseService newService() {
        return new LicenseService(LifecycleLicenses.INSTALLATION, SignedKeys.verifier(), store, clock, audit);
    }

    @Test
    void apply_ofGenuineKeyForThisInstallation_isAppliedAndActiveAtOnce() {
        License license = license(1).seats(40).build();

        ApplyResult result = service.apply(key(license), "admin");

        assertThat(result).isInstanceOf(Applied.class);
        Applied applied = (Applied) result;
        assertThat(applied.license()).isEqualTo(license);
        assertThat(applied.status().state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(applied.status().capacity()).isEqualTo(40);
        assertThat(service.status().state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(service.status().current()).contains(license);
        assertThat(service.history()).containsExactly(new AppliedLicense(license, key(license), JANUARY, "admin"));
        assertThat(store.all()).isEqualTo(service.history());
    }

    @Test
    void apply_ofGenuineKey_isAuditedWithLicenseSerialSeatsAndStateAfter() {
        service.apply(key(license(1).seats(40).build()), "admin");

        assertThat(audit.events())
                .containsExactly(new AuditEvent(
                        1,
                        JANUARY,
                        "admin",
                        Type.KEY_APPLIED,
                        "license LIC-1, serial 1, 40 seats; state ACTIVE, capacity 40"));
    }

    @Test
    void apply_ofKeyMangledInTransit_storesItInItsCanonicalForm() {
        String text = key(license(1).build());
        String mangled = "\r\n  " + text.replace("\n", "\r\n ") + "\n\n";

        service.apply(mangled, "admin");

        assertThat(service.history().getFirst().keyText()).isEqualTo(text);
    }

    @Test
    void apply_ofKeyForAnotherInstallation_isRefusedAsWrongInstallationAndStoresNothing() {
        License foreign = license(1).installation(OTHER_INSTALLATION).build();

        ApplyResult result = service.apply(key(foreign), "admin");

        assertThat(result).isInstanceOf(Refused.class);
        assertThat(((Refused) result).reason()).isEqualTo(RejectionReason.WRONG_INSTALLATION);
        assertThat(((Refused) result).message()).contains(OTHER_INSTALLATION.value());
        assertThat(store.all()).isEmpty();
        assertThat(service.status().state()).isEqualTo(LicenseState.UNLICENSED);
        assertThat(audit.events()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(Type.KEY_REJECTED);
            assertThat(event.actor()).isEqualTo("admin");
            assertThat(event.detail()).startsWith("WRONG_INSTALLATION: ");
        });
    }

    @Test
    void apply_ofOlderSerial_isRefusedAsSupersededNamingBothSerialsAndLicenses() {
        service.apply(key(license(3).build()), "admin");

        ApplyResult result = service.apply(key(license(2).build()), "admin");

        Refused refused = refused(result, RejectionReason.SUPERSEDED);
        assertThat(refused.message()).contains("LIC-2", "serial 2", "LIC-3", "serial 3");
        assertThat(service.history())
                .extracting(applied -> applied.license().serial())
                .containsExactly(3L);
    }

    @Test
    void apply_ofAnotherLicenseWithAnEqualSerial_isRefusedAsSuperseded() {
        service.apply(key(license(3).build()), "admin");

        ApplyResult result = service.apply(key(license(3).licenseId("LIC-3-BIS").build()), "admin");

        assertThat(refused(result, RejectionReason.SUPERSEDED).message()).contains("LIC-3-BIS", "LIC-3");
    }

    @Test
    void apply_ofTheSameKeyTwice_isRefusedTheSecondTimeAsAlreadyApplied() {
        String text = key(license(1).build());
        service.apply(text, "admin");

        ApplyResult result = service.apply(text, "admin");

        assertThat(refused(result, RejectionReason.SUPERSEDED).message()).contains("already applied");
        assertThat(service.history()).hasSize(1);
    }

    @Test
    void apply_ofKeyAtItsGraceEnd_isRefusedAsExpiredNamingTheGraceEndWithItsZone() {
        License license = license(1).build();
        clock.set(license.graceEnd());

        ApplyResult result = service.apply(key(license), "admin");

        Refused refused = refused(result, RejectionReason.EXPIRED);
        assertThat(refused.message()).contains("LIC-1", "2027-12-15 00:00 Europe/Berlin (UTC+01:00)");
        assertThat(store.all()).isEmpty();
        assertThat(audit.events(Type.KEY_REJECTED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).startsWith("EXPIRED: "));
    }

    @Test
    void apply_ofKeyOneSecondBeforeItsGraceEnd_isAppliedInGrace() {
        License license = license(1).build();
        clock.set(license.graceEnd().minusSeconds(1));

        ApplyResult result = service.apply(key(license), "admin");

        assertThat(result).isInstanceOf(Applied.class);
        assertThat(((Applied) result).status().state()).isEqualTo(LicenseState.GRACE);
    }

    @Test
    void apply_ofOlderSerialPastItsGraceEnd_isRefusedAsSupersededFirst() {
        service.apply(key(license(3).build()), "admin");
        clock.set(license(2).build().graceEnd());

        ApplyResult result = service.apply(key(license(2).build()), "admin");

        refused(result, RejectionReason.SUPERSEDED);
    }

    @Test
    void apply_ofFutureDatedRenewal_isAppliedAsPendingWhileTheStateStaysTheOldOne() {
        License current = license(1).build();
        License renewal = license(2).start("2027-12-01").seats(30).build();
        service.apply(key(current), "admin");

        ApplyResult result = service.apply(key(renewal), "admin");

        assertThat(result).isInstanceOf(Applied.class);
        LicenseStatus status = ((Applied) result).status();
        assertThat(status.state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(status.current()).contains(current);
        assertThat(status.pending()).contains(renewal);
        assertThat(service.status().pending()).contains(renewal);
        assertThat(audit.events(Type.KEY_APPLIED).getLast().detail())
                .isEqualTo("license LIC-2, serial 2, 30 seats; state ACTIVE, capacity 25; pending until "
                        + "2027-12-01 00:00 Europe/Berlin (UTC+01:00)");

        clock.set(renewal.start());

        assertThat(service.status().current()).contains(renewal);
        assertThat(service.status().capacity()).isEqualTo(30);
    }

    @Test
    void apply_ofFutureDatedKeyOnAnUnlicensedInstallation_leavesItPending() {
        License future = license(1).start("2027-06-01").build();

        ApplyResult result = service.apply(key(future), "admin");

        assertThat(((Applied) result).status().state()).isEqualTo(LicenseState.PENDING);
        assertThat(((Applied) result).status().pending()).contains(future);
    }

    @Test
    void apply_ofBadSignatureOrMalformedText_isRefusedWithTheVerifiersReason() {
        License license = license(1).build();
        String forged = new LicenseSigner(VendorSigningKey.generate(TestVectors.KEY_ID)).sign(license);

        refused(service.apply("not a key", "admin"), RejectionReason.MALFORMED);
        refused(service.apply(forged, "admin"), RejectionReason.BAD_SIGNATURE);
        assertThat(store.all()).isEmpty();
    }

    @Test
    void apply_everyOutcome_isAuditedOnceWithItsActor() {
        License first = license(2).build();
        service.apply(key(first), "alice");
        service.apply(key(license(1).build()), "bob");
        service.apply("garbage", "carol");
        service.apply(key(license(3).installation(OTHER_INSTALLATION).build()), "dave");
        clock.set(at("2030-01-01T00:00:00Z"));
        service.apply(key(license(4).build()), "erin");
        service.apply(key(license(5).start("2029-12-01").build()), "frank");

        assertThat(audit.events())
                .extracting(AuditEvent::actor, AuditEvent::type)
                .containsExactly(
                        tuple("alice", Type.KEY_APPLIED),
                        tuple("bob", Type.KEY_REJECTED),
                        tuple("carol", Type.KEY_REJECTED),
                        tuple("dave", Type.KEY_REJECTED),
                        tuple("erin", Type.KEY_REJECTED),
                        tuple("frank", Type.KEY_APPLIED));
        assertThat(audit.events(Type.KEY_REJECTED))
                .extracting(event -> event.detail().substring(0, event.detail().indexOf(':')))
                .containsExactly("SUPERSEDED", "MALFORMED", "WRONG_INSTALLATION", "EXPIRED");
    }

    @Test
    void preview_ofGenuineKey_tellsTheStatusItWouldBringAndStoresAndAuditsNothing() {
        License license = license(1).seats(40).build();

        ApplyResult result = service.preview(key(license));

        assertThat(result).isInstanceOf(Applied.class);
        assertThat(((Applied) result).status().state()).isEqualTo(LicenseState.ACTIVE);
        assertThat(((Applied) result).status().capacity()).isEqualTo(40);
        assertThat(store.all()).isEmpty();
        assertThat(service.history()).isEmpty();
        assertThat(audit.events()).isEmpty();
        assertThat(service.status().state()).isEqualTo(LicenseState.UNLICENSED);
    }

    @Test
    void preview_ofSupersededKey_isRefusedAndAuditsNothing() {
        service.apply(key(license(2).build()), "admin");

        ApplyResult result = service.preview(key(license(1).build()));

        refused(result, RejectionReason.SUPERSEDED);
        assertThat(audit.events()).hasSize(1);
    }

    @Test
    void new_overAStoreWithLicenses_startsFromThem() {
        License license = license(4).build();
        store.add(new AppliedLicense(license, key(license), JANUARY, "admin"));

        service = newService();

        assertThat(service.status().current()).contains(license);
        assertThat(service.history()).extracting(AppliedLicense::license).containsExactly(license);
    }

    @Test
    void status_readsNoStore() {
        service.apply(key(license(1).build()), "admin");
        int reads = store.reads();

        for (int i = 0; i < 10; i++) {
            service.status();
        }

        assertThat(store.reads()).isEqualTo(reads);
    }

    @Test
    void apply_afterAnotherNodeStoredANewerLicense_checksAgainstIt() {
        License elsewhere = license(5).build();
        store.add(new AppliedLicense(elsewhere, key(elsewhere), JANUARY, "admin@node-2"));

        ApplyResult result = service.apply(key(license(4).build()), "admin");

        refused(result, RejectionReason.SUPERSEDED);
        assertThat(service.status().current()).contains(elsewhere);
    }

    @Test
    void apply_withBlankActor_isABug() {
        String text = key(license(1).build());

        assertThatIllegalArgumentException().isThrownBy(() -> service.apply(text, " "));
    }

    @Test
    void apply_ofTwoKeysWithTheSameSerialAtOnce_appliesExactlyOne() throws Exception {
        String first = key(license(7).licenseId("LIC-7-A").build());
        String second = key(license(7).licenseId("LIC-7-B").build());
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                InMemoryLicenseStore roundStore = new InMemoryLicenseStore();
                LicenseService shared = new LicenseService(
                        LifecycleLicenses.INSTALLATION, SignedKeys.verifier(), roundStore, clock, audit);
                CountDownLatch startGate = new CountDownLatch(1);
                List<Future<ApplyResult>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    String text = i % 2 == 0 ? first : second;
                    results.add(executor.submit(() -> {
                        startGate.await();
                        return shared.apply(text, "admin");
                    }));
                }
                startGate.countDown();
                List<ApplyResult> outcomes = new ArrayList<>();
                for (Future<ApplyResult> result : results) {
                    outcomes.add(result.get());
                }

                assertThat(outcomes).filteredOn(Applied.class::isInstance).hasSize(1);
                assertThat(outcomes)
                        .filteredOn(Refused.class::isInstance)
                        .hasSize(threads - 1)
                        .allSatisfy(outcome ->
                                assertThat(((Refused) outcome).reason()).isEqualTo(RejectionReason.SUPERSEDED));
                assertThat(roundStore.all()).hasSize(1);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void status_withAClockMovingOn_followsTheLifecycle() {
        License license = license(1).build();
        service.apply(key(license), "admin");

        clock.set(license.end());
        assertThat(service.status().state()).isEqualTo(LicenseState.GRACE);
        clock.advance(Duration.ofDays(14));
        assertThat(service.status().state()).isEqualTo(LicenseState.DEMO);
        assertThat(service.status().capacity()).isEqualTo(LicenseLifecycle.DEMO_CAPACITY);
    }

    private static Refused refused(ApplyResult result, RejectionReason reason) {
        assertThat(result).isInstanceOf(Refused.class);
        Refused refused = (Refused) result;
        assertThat(refused.reason()).isEqualTo(reason);
        return refused;
    }

    @Test
    void reload_findsAKeyAppliedThroughAnotherServiceOnTheSameStore_andTellsWhetherAnythingChanged() {
        LicenseService otherNode = newService();
        List<AppliedLicense> told = new ArrayList<>();
        otherNode.whenApplied(told::add);
        otherNode.apply(key(license(1).seats(40).build()), "admin");
        assertThat(told).hasSize(1);
        assertThat(service.status().capacity()).as("not yet read").isEqualTo(2);

        assertThat(service.reload()).isTrue();

        assertThat(service.status().capacity()).isEqualTo(40);
        assertThat(service.reload()).isFalse();
    }
}
