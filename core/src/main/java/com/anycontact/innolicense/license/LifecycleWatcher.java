package com.anycontact.innolicense.license;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Notices lifecycle transitions as they happen and keeps trusted time persisted. The server runs {@link
 * #tick()} every second (through {@link #run()}); each tick evaluates the license status and, when the state,
 * the capacity or the license in force differs from the previous tick's, records it in the audit log and
 * tells the listener. So ACTIVE → GRACE → DEMO and PENDING → ACTIVE are noticed within a second of their
 * instant, whether or not anyone asks for the status, and a key applied since the last tick is noticed too.
 *
 * <p>Audit: every change is one {@link AuditEvent.Type#STATE_CHANGED} event (state, capacity and license in
 * force, before and after); a change that lowers the capacity is also one {@link
 * AuditEvent.Type#CAPACITY_REDUCED} event. Both are dated at the trusted instant of the tick and caused by
 * {@link AuditEvent#SYSTEM}. The first status, taken when the watcher is created, is the baseline and is not
 * audited. What was last audited is kept by a {@link LifecycleAudit}, the cluster database's for a cluster node: a
 * node that takes over the leadership audits the change from the status last audited by any node, so a
 * transition that fell between the old leader's last tick and the takeover is audited once, by the new leader.
 *
 * <p>Each tick also saves {@link TrustedClock#highWaterMark()} to the {@link InstallationStore}, so that a
 * restarted server resumes trusted time where it stopped.
 */
public final class LifecycleWatcher implements Runnable {

    private static final System.Logger LOG = System.getLogger(LifecycleWatcher.class.getName());

    private final LicenseService licenses;
    private final InstallationStore installation;
    private final TrustedClock clock;
    private final LifecycleAudit audited;
    private final Consumer<LicenseStatus> listener;
    private LicenseStatus last;
    private Instant savedMark;

    /**
     * Creates a watcher and takes the current status as the baseline.
     *
     * @param licenses tells the status
     * @param installation where the trusted-time mark is saved
     * @param clock the trusted clock that {@code licenses} reads, whose mark is saved
     * @param audit where transitions are recorded, what was last audited kept in memory
     * @param listener told of each changed status, on the ticking thread, after it was audited
     */
    public LifecycleWatcher(
            LicenseService licenses,
            InstallationStore installation,
            TrustedClock clock,
            AuditLog audit,
            Consumer<LicenseStatus> listener) {
        this(licenses, installation, clock, LifecycleAudit.inMemory(audit), listener);
    }

    /**
     * Creates a watcher and takes the current status as the baseline.
     *
     * @param licenses tells the status
     * @param installation where the trusted-time mark is saved
     * @param clock the trusted clock that {@code licenses} reads, whose mark is saved
     * @param audited where transitions are recorded, with the status last audited
     * @param listener told of each changed status, on the ticking thread, after it was audited
     */
    public LifecycleWatcher(
            LicenseService licenses,
            InstallationStore installation,
            TrustedClock clock,
            LifecycleAudit audited,
            Consumer<LicenseStatus> listener) {
        this.licenses = Objects.requireNonNull(licenses, "licenses");
        this.installation = Objects.requireNonNull(installation, "installation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audited = Objects.requireNonNull(audited, "audited");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.last = licenses.status();
    }

    /**
     * Evaluates the status once, saves the trusted-time mark, and audits and reports a change since the
     * previous tick. When the audit log fails, the change is not taken as seen and the next tick tries again.
     */
    public void tick() {
        tick(true);
    }

    /**
     * Evaluates the status once and reports a change since the previous tick; when {@code leads}, also saves the
     * trusted-time mark and audits the change from the status last audited, as {@link #tick()}. A node of a cluster
     * that does not lead passes {@code false}: its status follows time all the same, but the cluster's leader alone
     * audits transitions and saves the mark. A node that takes over the leadership audits the change from the
     * status the previous leader last audited, so that a transition in between is audited once.
     */
    public synchronized void tick(boolean leads) {
        LicenseStatus now = licenses.status();
        Instant mark = clock.highWaterMark();
        if (leads && (savedMark == null || mark.isAfter(savedMark))) {
            installation.saveTrustedTimeMark(mark);
            savedMark = mark;
        }
        LicenseStatus before = last;
        if (leads) {
            AuditedStatus to = AuditedStatus.of(now);
            audited.record(AuditedStatus.of(before), to, now.evaluatedAt(), from -> entries(from, to));
        }
        if (now.state() == before.state()
                && now.capacity() == before.capacity()
                && now.current().equals(before.current())) {
            return;
        }
        last = now;
        listener.accept(now);
    }

    /** The audit entries of a transition: {@code STATE_CHANGED}, and {@code CAPACITY_REDUCED} when it lowered it. */
    private static List<LifecycleAudit.Entry> entries(AuditedStatus from, AuditedStatus to) {
        List<LifecycleAudit.Entry> entries = new ArrayList<>();
        String license = from.license().equals(to.license()) ? to.license() : from.license() + " -> " + to.license();
        entries.add(new LifecycleAudit.Entry(
                AuditEvent.Type.STATE_CHANGED,
                from.state() + " -> " + to.state() + "; capacity " + from.capacity() + " -> " + to.capacity()
                        + "; license " + license));
        if (to.capacity() < from.capacity()) {
            entries.add(new LifecycleAudit.Entry(
                    AuditEvent.Type.CAPACITY_REDUCED,
                    "capacity " + from.capacity() + " -> " + to.capacity() + "; " + from.state() + " -> " + to.state()
                            + "; license " + to.license()));
        }
        return entries;
    }

    /**
     * Ticks once, as {@link #tick()}, but logs a failure instead of throwing it, so that a scheduled executor
     * keeps running the watcher after a passing failure.
     */
    @Override
    public void run() {
        try {
            tick();
        } catch (DatabaseUnreachableException e) {
            LOG.log(Level.DEBUG, "watching the license lifecycle waits for the database: {0}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "watching the license lifecycle failed; will try again at the next tick", e);
        }
    }
}
