package com.anycontact.innolicense.client;

import java.lang.System.Logger.Level;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A lease that renews itself on its client's scheduler; see {@link HttpLicenseClient} for the concurrency
 * design.
 *
 * <p>Its time is judged by the client's clock against a <em>local deadline</em>: the instant the latest
 * successful claim or renewal was <em>sent</em> plus the lease TTL. The server started its TTL no earlier than
 * that, so the deadline never lies after the server's expiry, whatever the two clocks say. A renewal whose
 * timer fires past the deadline without any failure before it (the process was paused, say) is still sent,
 * once: only a failure past the deadline ends the lease.
 */
final class RenewingLease implements Lease {

    private enum State {
        HELD,
        LOST,
        CLOSED
    }

    /** How a renewal's answer is to be taken. */
    private sealed interface Outcome {
        record Renewed(SeatGrant grant) implements Outcome {}

        record Lost(LeaseLoss loss) implements Outcome {}

        record Failed(boolean unreachable, String detail, Duration retryAfter) implements Outcome {}
    }

    private record Announcement(LeaseLoss loss, List<LeaseListener> listeners) {}

    private final HttpLicenseClient client;
    private final String agentId;
    private final Object lock = new Object();

    private State state = State.HELD;
    private String station;
    private SeatGrant grant;
    private Instant deadline;
    private Duration renewAfter;
    private int failures;
    private Outcome.Failed lastFailure;
    private ScheduledFuture<?> timer;
    private CompletableFuture<Void> renewal = CompletableFuture.completedFuture(null);
    private final List<LeaseListener> listeners = new ArrayList<>();
    private LeaseLoss loss;

    RenewingLease(HttpLicenseClient client, String agentId, String station, SeatGrant grant, Instant sentAt) {
        this.client = client;
        this.agentId = agentId;
        this.station = station;
        this.deadline = Instant.MIN;
        if (client.settings().listener() != null) {
            listeners.add(client.settings().listener());
        }
        synchronized (lock) {
            apply(grant, sentAt);
        }
    }

    /** Schedules the first renewal. */
    void start() {
        synchronized (lock) {
            if (state == State.HELD) {
                scheduleRenewal();
            }
        }
    }

    /** Takes a new claim's answer for this agent; false when this lease is no longer held. */
    boolean refresh(SeatGrant newGrant, String newStation, Instant sentAt) {
        synchronized (lock) {
            if (state != State.HELD) {
                return false;
            }
            station = newStation;
            failures = 0;
            lastFailure = null;
            apply(newGrant, sentAt);
            return true;
        }
    }

    /** Ends the lease with a loss learnt elsewhere (a claim's answer), unless it already ended. */
    void lose(LeaseLoss why) {
        Announcement announcement;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            announcement = markLost(why);
        }
        announce(announcement);
    }

    /**
     * Stops renewing and releases the seat once a renewal in flight has ended; the future completes when the
     * server answered or the request failed (logged), or at once when the lease was not held.
     */
    CompletableFuture<Void> release() {
        CompletableFuture<Void> inFlight;
        synchronized (lock) {
            if (state != State.HELD) {
                return CompletableFuture.completedFuture(null);
            }
            state = State.CLOSED;
            cancelTimer();
            inFlight = renewal;
        }
        client.forget(this);
        Duration timeout = client.settings().requestTimeout();
        return inFlight.thenCompose(ignored -> client.sendInTurn((api, tried) -> api.release(agentId, timeout)))
                .handle((answer, failure) -> {
                    client.logRelease(agentId, answer, failure);
                    return null;
                });
    }

    @Override
    public void abandon() {
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            state = State.CLOSED;
            cancelTimer();
        }
        client.forget(this);
    }

    @Override
    public void close() {
        CompletableFuture<Void> released = release();
        Duration bound = client.settings().requestTimeout().multipliedBy(2);
        try {
            released.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            HttpLicenseClient.LOG.log(
                    Level.WARNING,
                    "the release of {0} was not answered within {1}; the seat frees itself when the lease expires",
                    agentId,
                    bound);
        } catch (ExecutionException e) {
            HttpLicenseClient.LOG.log(Level.WARNING, "the release of " + agentId + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String agentId() {
        return agentId;
    }

    @Override
    public Optional<String> node() {
        synchronized (lock) {
            return Optional.ofNullable(
                    grant.node() != null ? grant.node() : client.settings().node());
        }
    }

    @Override
    public Optional<String> station() {
        synchronized (lock) {
            return Optional.ofNullable(grant.station() != null ? grant.station() : station);
        }
    }

    @Override
    public Instant claimedAt() {
        synchronized (lock) {
            return grant.claimedAt();
        }
    }

    @Override
    public Instant expiresAt() {
        synchronized (lock) {
            return grant.expiresAt();
        }
    }

    @Override
    public boolean isHeld() {
        synchronized (lock) {
            return state == State.HELD && client.settings().clock().instant().isBefore(deadline);
        }
    }

    @Override
    public Optional<LeaseLoss> loss() {
        synchronized (lock) {
            return Optional.ofNullable(loss);
        }
    }

    @Override
    public void addListener(LeaseListener listener) {
        Objects.requireNonNull(listener, "listener");
        LeaseLoss already;
        synchronized (lock) {
            if (state == State.HELD) {
                listeners.add(listener);
                return;
            }
            already = loss;
        }
        if (already != null) {
            client.deliver(this, already, List.of(listener));
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Lease[" + agentId + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + ", expires "
                    + grant.expiresAt() + (loss == null ? "" : ", " + loss.reason()) + "]";
        }
    }

    private void renew() {
        Duration firstTimeout;
        Instant sentAt;
        CompletableFuture<Void> done;
        Announcement announcement;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            timer = null;
            sentAt = client.settings().clock().instant();
            Duration remaining = Duration.between(sentAt, deadline);
            if (!remaining.isPositive() && failures > 0) {
                announcement = markLost(lossAtDeadline());
                firstTimeout = null;
                done = null;
            } else {
                firstTimeout = remaining.isPositive()
                        ? min(client.settings().requestTimeout(), remaining)
                        : client.settings().requestTimeout();
                done = new CompletableFuture<>();
                renewal = done;
                announcement = null;
            }
        }
        if (announcement != null) {
            announce(announcement);
            return;
        }
        client.sendInTurn((api, tried) -> {
                    Duration timeout = tried == 0 ? firstTimeout : timeLeftForAnotherServer();
                    return timeout == null
                            ? null
                            : api.claim(agentId, client.settings().node(), station, timeout);
                })
                .whenComplete((answer, failure) -> {
                    try {
                        settle(
                                sentAt,
                                failure != null ? new Outcome.Failed(true, failure.toString(), null) : outcome(answer));
                    } catch (RuntimeException e) {
                        HttpLicenseClient.LOG.log(Level.ERROR, "a bug stopped the renewals of " + agentId, e);
                    } finally {
                        done.complete(null);
                    }
                });
    }

    /**
     * The request timeout for a renewal passed on to the next server after one failed: the smaller of the
     * request timeout and the time the lease has left, or {@code null} when no time is left (or the lease ended).
     */
    private Duration timeLeftForAnotherServer() {
        synchronized (lock) {
            if (state != State.HELD) {
                return null;
            }
            Duration remaining = Duration.between(client.settings().clock().instant(), deadline);
            return remaining.isPositive() ? min(client.settings().requestTimeout(), remaining) : null;
        }
    }

    private Outcome outcome(HttpLicenseClient.Answer answer) {
        HttpResponse<String> response = answer.response();
        if (answer.failure() != null) {
            return new Outcome.Failed(true, client.unreachable(answer.server(), answer.failure()), null);
        }
        int status = response.statusCode();
        if (status == 200 || status == 201) {
            try {
                return new Outcome.Renewed(SeatGrant.parse(response.body()));
            } catch (IllegalArgumentException e) {
                return new Outcome.Failed(false, "unreadable answer to a renewal: " + e.getMessage(), null);
            }
        }
        Problem problem = Problem.of(response);
        if (status == 409 && problem.is("capacity-reduced")) {
            return new Outcome.Lost(new LeaseLoss(LeaseLoss.Reason.CAPACITY_REDUCED, problem.detail()));
        }
        if (status == 409 && (problem.is("released-by-administrator") || problem.is("agent-blocked"))) {
            return new Outcome.Lost(new LeaseLoss(LeaseLoss.Reason.RELEASED_BY_ADMINISTRATOR, problem.detail()));
        }
        if (status == 409 && problem.is("seat-limit-reached")) {
            return new Outcome.Lost(new LeaseLoss(
                    LeaseLoss.Reason.EXPIRED,
                    "the server had let the lease expire and no seat was free to claim again: " + problem.detail()));
        }
        if (status == 404 || status == 410) {
            return new Outcome.Lost(new LeaseLoss(LeaseLoss.Reason.RELEASED, problem.detail()));
        }
        if (status == 401 || status == 403) {
            return new Outcome.Lost(new LeaseLoss(LeaseLoss.Reason.UNAUTHORIZED, problem.detail()));
        }
        boolean transientFailure = HttpLicenseClient.isServerFault(status);
        return new Outcome.Failed(
                transientFailure, problem.describe(), problem.retryAfter().orElse(null));
    }

    private void settle(Instant sentAt, Outcome outcome) {
        Announcement announcement = null;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            switch (outcome) {
                case Outcome.Renewed renewed -> {
                    failures = 0;
                    lastFailure = null;
                    apply(renewed.grant(), sentAt);
                    scheduleRenewal();
                }
                case Outcome.Lost lost -> announcement = markLost(lost.loss());
                case Outcome.Failed failed -> {
                    failures++;
                    lastFailure = failed;
                    Duration remaining =
                            Duration.between(client.settings().clock().instant(), deadline);
                    if (remaining.isPositive()) {
                        HttpLicenseClient.LOG.log(
                                Level.DEBUG,
                                "renewal {0} of {1} failed, retrying: {2}",
                                failures,
                                agentId,
                                failed.detail());
                        schedule(RetryPolicy.retryDelay(
                                failures,
                                renewAfter,
                                remaining,
                                failed.retryAfter(),
                                ThreadLocalRandom.current().nextDouble()));
                    } else {
                        announcement = markLost(lossAtDeadline());
                    }
                }
            }
        }
        if (announcement != null) {
            announce(announcement);
        }
    }

    /** Takes a successful answer: guarded by {@code lock}. */
    private void apply(SeatGrant newGrant, Instant sentAt) {
        Instant now = client.settings().clock().instant();
        Duration ttl = newGrant.leaseTtl();
        if (ttl == null) {
            Duration untilExpiry = Duration.between(now, newGrant.expiresAt());
            ttl = untilExpiry.isPositive() ? untilExpiry : Duration.ofSeconds(1);
        }
        grant = newGrant;
        renewAfter = newGrant.renewAfter() != null ? newGrant.renewAfter() : ttl.dividedBy(3);
        Instant newDeadline = sentAt.plus(ttl);
        if (newDeadline.isAfter(deadline)) {
            deadline = newDeadline;
        }
    }

    /** Guarded by {@code lock}. */
    private void scheduleRenewal() {
        Duration remaining = Duration.between(client.settings().clock().instant(), deadline);
        schedule(RetryPolicy.renewalDelay(
                renewAfter, remaining, ThreadLocalRandom.current().nextDouble()));
    }

    /** Guarded by {@code lock}. */
    private void schedule(Duration delay) {
        cancelTimer();
        timer = client.schedule(this::renew, delay);
    }

    /** Guarded by {@code lock}. */
    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Why the lease ends when its time ran out without a renewal: guarded by {@code lock}. */
    private LeaseLoss lossAtDeadline() {
        if (lastFailure == null || lastFailure.unreachable()) {
            return new LeaseLoss(
                    LeaseLoss.Reason.SERVER_UNREACHABLE,
                    "no renewal reached the server before the lease ran out"
                            + (lastFailure == null ? "" : "; last failure: " + lastFailure.detail()));
        }
        return new LeaseLoss(
                LeaseLoss.Reason.EXPIRED,
                "the lease ran out while the server's answers could not be used; last: " + lastFailure.detail());
    }

    /** Guarded by {@code lock}. */
    private Announcement markLost(LeaseLoss why) {
        state = State.LOST;
        loss = why;
        cancelTimer();
        return new Announcement(why, List.copyOf(listeners));
    }

    private void announce(Announcement announcement) {
        client.forget(this);
        HttpLicenseClient.LOG.log(
                Level.INFO,
                "lease of {0} lost: {1}: {2}",
                agentId,
                announcement.loss().reason(),
                announcement.loss().detail());
        client.deliver(this, announcement.loss(), announcement.listeners());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
