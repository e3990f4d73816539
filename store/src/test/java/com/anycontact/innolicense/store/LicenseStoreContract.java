package com.anycontact.innolicense.store;

import static com.anycontact.innolicense.store.TestLicenses.key;
import static com.anycontact.innolicense.store.TestLicenses.license;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.anycontact.innolicense.license.AppliedLicense;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.license.RejectionReason;
import com.anycontact.innolicense.license.StoredLicenses;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LicenseStore} must do. A store's test extends this class and says how to open a fresh
 * store and how to reopen it over the same data, as after a restart of the server.
 *
 * <p>All instants here are whole milliseconds, the precision every store keeps.
 */
public abstract class LicenseStoreContract {

    /** The instant the first license is applied at. */
    protected static final Instant T0 = Instant.parse("2027-01-15T09:00:00.123Z");

    /** The store under test, fresh for each test. */
    protected LicenseStore store;

    /** A new, empty store; called before each test. */
    protected abstract LicenseStore createStore() throws Exception;

    /**
     * Closes everything the current store opened and opens a new store over the same data, as a restarted
     * server would.
     */
    protected abstract LicenseStore reopenStore() throws Exception;

    /**
     * Writes {@code keyText} into the stored row of {@code serial} by hand, with SQL on a connection of its own,
     * as someone editing the database outside the server would.
     */
    protected abstract void overwriteKeyText(long serial, String keyText) throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void all_ofAFreshStore_isEmpty() {
        assertThat(store.all()).isEmpty();
    }

    @Test
    void add_thenAll_returnsTheLicenseWithItsKeyAndWhoAppliedItWhen() {
        AppliedLicense applied = applied(license(1, "2026-12-01", 50), T0, "admin");

        store.add(applied);

        assertThat(store.all()).containsExactly(applied);
    }

    @Test
    void all_listsTheLowestSerialFirstWhateverTheOrderOfAdding() {
        store.add(applied(license(5, "2026-12-01", 10), T0, "admin"));
        store.add(applied(license(2, "2026-12-01", 10), T0.plusSeconds(1), "admin"));
        store.add(applied(license(9, "2027-12-01", 10), T0.plusSeconds(2), "alice"));

        assertThat(store.all()).extracting(a -> a.license().serial()).containsExactly(2L, 5L, 9L);
    }

    @Test
    void add_ofASerialAlreadyStored_isABugAndKeepsTheFirst() {
        AppliedLicense first = applied(license(3, "2026-12-01", 10), T0, "admin");
        License sameSerial = license("LIC-3-BIS", 3, "2027-01-01", 20, TestLicenses.INSTALLATION);
        AppliedLicense second = applied(sameSerial, T0.plusSeconds(1), "admin");
        store.add(first);

        assertThatIllegalArgumentException().isThrownBy(() -> store.add(second));
        assertThat(store.all()).containsExactly(first);
    }

    @Test
    void add_thenReopen_keepsTheWholeHistory() throws Exception {
        AppliedLicense first = applied(license(1, "2026-12-01", 50), T0, "admin");
        AppliedLicense renewal = applied(license(2, "2027-12-01", 60), T0.plusSeconds(3600), "alice");
        store.add(first);
        store.add(renewal);

        store = reopenStore();

        assertThat(store.all()).containsExactly(first, renewal);
    }

    @Test
    void read_ofARowWhoseKeyNoLongerDecodes_reportsItAsUndecodable_andKeepsTheOthers() throws Exception {
        AppliedLicense first = applied(license(1, "2026-12-01", 50), T0, "admin");
        AppliedLicense damaged = applied(license(2, "2027-12-01", 60), T0.plusSeconds(60), "admin");
        store.add(first);
        store.add(damaged);

        overwriteKeyText(2, damaged.keyText().substring(0, damaged.keyText().length() / 2));
        store = reopenStore();

        StoredLicenses stored = store.read();
        assertThat(stored.applied()).containsExactly(first);
        assertThat(stored.undecodable()).singleElement().satisfies(row -> {
            assertThat(row.serial()).isEqualTo(2);
            assertThat(row.licenseId()).isEqualTo("LIC-2");
            assertThat(row.reason()).isEqualTo(RejectionReason.MALFORMED);
            assertThat(row.message()).startsWith("the stored key no longer decodes: ");
        });
        assertThat(store.all()).containsExactly(first);
    }

    @Test
    void read_ofARowHoldingTheKeyOfAnotherSerial_reportsItAsUndecodable() throws Exception {
        AppliedLicense first = applied(license(1, "2026-12-01", 50), T0, "admin");
        store.add(first);
        store.add(applied(license(2, "2027-12-01", 60), T0.plusSeconds(60), "admin"));

        overwriteKeyText(2, first.keyText());

        StoredLicenses stored = store.read();
        assertThat(stored.applied()).containsExactly(first);
        assertThat(stored.undecodable()).singleElement().satisfies(row -> {
            assertThat(row.serial()).isEqualTo(2);
            assertThat(row.reason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
            assertThat(row.message()).contains("serial 1 (LIC-1)");
        });
    }

    /** A license applied at {@code at} by {@code actor}, with its key. */
    protected static AppliedLicense applied(License license, Instant at, String actor) {
        return new AppliedLicense(license, key(license), at, actor);
    }
}
