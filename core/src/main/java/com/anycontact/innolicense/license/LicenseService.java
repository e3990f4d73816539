package com.anycontact.innolicense.license;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The licenses of this installation: applies license keys and tells the license status at trusted time.
 *
 * <p>Applying a key checks, in this order: the key is genuine and for this installation ({@link
 * LicenseVerifier}); its serial is higher than that of every license applied here, else {@link
 * RejectionReason#SUPERSEDED}; its grace end lies after now, else {@link RejectionReason#EXPIRED}. A key
 * that passes is stored, even when it starts in the future: it is then the pending license and takes over
 * at its start by itself. Every outcome of {@link #apply} is recorded in the audit log.
 *
 * <p>Stored licenses are not taken on trust: every time they are loaded (at construction and before every
 * apply) each stored key is verified again, against the keys trusted now and for this installation. One that
 * fails (a row forged into the database, a key whose signing key is no longer trusted, a key damaged in the
 * database so that it no longer decodes, which the store reports in {@link StoredLicenses#undecodable()}) is
 * left out of the lifecycle and of the supersession check, listed by {@link #ignored()}, and recorded in the
 * audit log as {@link AuditEvent.Type#LICENSE_IGNORED} once per serial for the life of this object.
 *
 * <p>Concurrency: the applied licenses are held in memory as an immutable list behind a volatile field,
 * loaded from the {@link LicenseStore} at construction and replaced on every apply, so {@link #status()}
 * (asked on every seat claim) reads no database and takes no lock. {@link #apply} is serialized on this
 * object and rereads the store first, so two applies can never both pass the supersession check, and the
 * check also sees licenses that another server node sharing the store has applied.
 */
public final class LicenseService {

    private final InstallationId installation;
    private final LicenseVerifier verifier;
    private final LicenseStore store;
    private final InstantSource clock;
    private final AuditLog audit;
    private final Set<Long> reportedIgnored = ConcurrentHashMap.newKeySet();
    private final List<Consumer<AppliedLicense>> applyListeners = new CopyOnWriteArrayList<>();
    private volatile AppliedLicenses applied;

    /**
     * Creates the service and loads the applied licenses from the store.
     *
     * @param installation this installation's ID; keys for another are refused
     * @param verifier decides whether a key is genuine
     * @param store where applied licenses are kept
     * @param trustedClock trusted time, usually a {@link TrustedClock}
     * @param audit where every apply outcome is recorded
     */
    public LicenseService(
            InstallationId installation,
            LicenseVerifier verifier,
            LicenseStore store,
            InstantSource trustedClock,
            AuditLog audit) {
        this.installation = Objects.requireNonNull(installation, "installation");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(trustedClock, "trustedClock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.applied = load();
    }

    /** This installation's ID. */
    public InstallationId installationId() {
        return installation;
    }

    /** The license status now, by trusted time. Cheap: no database read, no lock. */
    public LicenseStatus status() {
        return LicenseLifecycle.evaluate(applied.licenses(), clock.instant());
    }

    /**
     * What applying the key would do now: the same checks as {@link #apply}, with the status that would
     * result. Nothing is stored or audited.
     */
    public ApplyResult preview(String keyText) {
        return check(keyText, applied, clock.instant());
    }

    /**
     * Verifies the key and, when it passes every check, stores it; records the outcome in the audit log
     * ({@link AuditEvent.Type#KEY_APPLIED} or {@link AuditEvent.Type#KEY_REJECTED}). A stored key takes effect
     * at once for {@link #status()}.
     *
     * @param keyText the license key as pasted; it is stored in its canonical text form, as issued
     * @param actor who applies it, not blank
     * @return the license and the new status, or the reason it was refused
     */
    public synchronized ApplyResult apply(String keyText, String actor) {
        Objects.requireNonNull(actor, "actor");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
        Instant now = clock.instant();
        AppliedLicenses current = load();
        applied = current;
        ApplyResult result = check(keyText, current, now);
        switch (result) {
            case ApplyResult.Refused refused ->
                audit.record(now, actor, AuditEvent.Type.KEY_REJECTED, refused.reason() + ": " + refused.message());
            case ApplyResult.Applied accepted -> {
                AppliedLicense record = new AppliedLicense(accepted.license(), canonical(keyText), now, actor);
                store.add(record);
                applied = current.with(record);
                audit.record(now, actor, AuditEvent.Type.KEY_APPLIED, appliedDetail(accepted));
                applyListeners.forEach(listener -> listener.accept(record));
            }
        }
        return result;
    }

    /**
     * Reads the applied licenses from the store again and verifies them, so that {@link #status()} follows
     * licenses that another server node sharing the store has applied.
     *
     * @return whether the licenses in memory changed
     */
    public synchronized boolean reload() {
        AppliedLicenses before = applied;
        AppliedLicenses now = load();
        applied = now;
        return !now.equals(before);
    }

    /**
     * Adds a listener told of every key applied through this service, on the applying thread, after it was stored
     * and audited; it must be quick and must not throw.
     */
    public void whenApplied(Consumer<AppliedLicense> listener) {
        applyListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Every license applied here that verifies, lowest serial first. */
    public List<AppliedLicense> history() {
        return applied.history();
    }

    /** The stored licenses left out because they did not verify when last loaded, lowest serial first. */
    public List<IgnoredLicense> ignored() {
        return applied.ignored();
    }

    /** The vendor keys trusted, and whether development keys are among them. */
    public TrustedKeys trust() {
        return verifier.trustedKeys();
    }

    /** Reads the store and verifies every stored key again; audits each newly ignored or undecodable one. */
    private AppliedLicenses load() {
        List<AppliedLicense> verified = new ArrayList<>();
        StoredLicenses rows = store.read();
        List<IgnoredLicense> ignored = new ArrayList<>(rows.undecodable());
        for (AppliedLicense stored : rows.applied()) {
            switch (verifier.verify(stored.keyText(), installation)) {
                case KeyVerification.Genuine genuine
                when genuine.license().equals(stored.license()) -> verified.add(stored);
                case KeyVerification.Genuine genuine ->
                    ignored.add(new IgnoredLicense(
                            stored.license().serial(),
                            stored.license().licenseId(),
                            RejectionReason.BAD_SIGNATURE,
                            "the stored terms differ from those of the signed key"));
                case KeyVerification.Rejected rejected ->
                    ignored.add(new IgnoredLicense(
                            stored.license().serial(),
                            stored.license().licenseId(),
                            rejected.reason(),
                            rejected.message()));
            }
        }
        for (IgnoredLicense left : ignored) {
            if (reportedIgnored.add(left.serial())) {
                audit.record(
                        clock.instant(),
                        AuditEvent.SYSTEM,
                        AuditEvent.Type.LICENSE_IGNORED,
                        "stored license " + left.licenseId() + " (serial " + left.serial() + ") is ignored: "
                                + left.reason() + ": " + left.message());
            }
        }
        return AppliedLicenses.of(verified, ignored);
    }

    private ApplyResult check(String keyText, AppliedLicenses current, Instant now) {
        License license;
        switch (verifier.verify(keyText, installation)) {
            case KeyVerification.Rejected rejected -> {
                return new ApplyResult.Refused(rejected.reason(), rejected.message());
            }
            case KeyVerification.Genuine genuine -> license = genuine.license();
        }
        Optional<License> newest = current.newest();
        if (newest.isPresent() && license.serial() <= newest.get().serial()) {
            License other = newest.get();
            return new ApplyResult.Refused(
                    RejectionReason.SUPERSEDED,
                    "license " + license.licenseId() + " has serial " + license.serial()
                            + ", which is not higher than serial " + other.serial() + " of license "
                            + other.licenseId() + ", the newest license applied here"
                            + (license.equals(other) ? "; this key is already applied" : ""));
        }
        Optional<IgnoredLicense> taken = current.ignored().stream()
                .filter(left -> left.serial() == license.serial())
                .findFirst();
        if (taken.isPresent()) {
            return new ApplyResult.Refused(
                    RejectionReason.SUPERSEDED,
                    "serial " + license.serial() + " is taken by the stored license "
                            + taken.get().licenseId()
                            + ", which is ignored (" + taken.get().reason() + "); ask the vendor for a key with"
                            + " a higher serial");
        }
        if (!license.graceEnd().isAfter(now)) {
            return new ApplyResult.Refused(
                    RejectionReason.EXPIRED,
                    "license " + license.licenseId() + " passed the end of its grace period on "
                            + License.displayTime(license.graceEndZoned()) + "; ask the vendor for a current key");
        }
        List<License> after = new ArrayList<>(current.licenses());
        after.add(license);
        return new ApplyResult.Applied(license, LicenseLifecycle.evaluate(after, now));
    }

    private static String canonical(String genuineKeyText) {
        return switch (LicenseKeyFormat.unpack(genuineKeyText)) {
            case LicenseKeyFormat.Unpacked unpacked ->
                LicenseKeyFormat.armor(unpacked.signedMessage(), unpacked.signature());
            case LicenseKeyFormat.Failure failure ->
                throw new IllegalStateException("a verified key no longer unpacks: " + failure);
        };
    }

    private static String appliedDetail(ApplyResult.Applied accepted) {
        License license = accepted.license();
        LicenseStatus status = accepted.status();
        String detail = "license " + license.licenseId() + ", serial " + license.serial() + ", " + license.seats()
                + " seats; state " + status.state() + ", capacity " + status.capacity();
        if (status.pending().filter(license::equals).isPresent()) {
            detail += "; pending until " + License.displayTime(license.startZoned());
        }
        return detail;
    }

    /**
     * The applied licenses that verify, and those left out, as one immutable value so that readers see them
     * all or none.
     */
    private record AppliedLicenses(List<AppliedLicense> history, List<License> licenses, List<IgnoredLicense> ignored) {

        static AppliedLicenses of(List<AppliedLicense> verified, List<IgnoredLicense> ignored) {
            List<AppliedLicense> history = new ArrayList<>(verified);
            history.sort(Comparator.comparingLong(a -> a.license().serial()));
            List<IgnoredLicense> left = new ArrayList<>(ignored);
            left.sort(Comparator.comparingLong(IgnoredLicense::serial));
            return new AppliedLicenses(
                    List.copyOf(history),
                    history.stream().map(AppliedLicense::license).toList(),
                    List.copyOf(left));
        }

        AppliedLicenses with(AppliedLicense added) {
            List<AppliedLicense> more = new ArrayList<>(history);
            more.add(added);
            return of(more, ignored);
        }

        Optional<License> newest() {
            return licenses.isEmpty() ? Optional.empty() : Optional.of(licenses.getLast());
        }
    }
}
