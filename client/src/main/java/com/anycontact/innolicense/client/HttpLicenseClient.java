package com.anycontact.innolicense.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The {@link LicenseClient} over {@code java.net.http}.
 *
 * <h2>Concurrency design</h2>
 *
 * <p><b>Threads.</b> A client owns {@code renewalThreads} threads ({@code innolicense-client-N-renewal-M}) in
 * one {@link ScheduledThreadPoolExecutor}, and one listener thread ({@code innolicense-client-N-listener}),
 * all daemons, started when first needed. The scheduler times every lease's next renewal and is also the
 * {@link HttpClient}'s executor, so HTTP answers complete on it too: renewals are sent with
 * {@code sendAsync} and no thread waits for an answer, which lets a few threads serve thousands of leases.
 * The JDK adds one selector thread per {@code HttpClient}. Nothing run on the scheduler blocks.
 *
 * <p><b>Bounded connections.</b> Background requests pass a {@link RequestGate} of {@value
 * #MAX_BACKGROUND_REQUESTS} requests in flight; the rest queue. {@link #claim} and {@link Lease#close()} run
 * on the caller's thread and wait for their answer (at most the request timeout).
 *
 * <p><b>Several servers.</b> Every call goes through the {@link ServerRotation}: to the server that answered last,
 * and on to the next at once when a server gives no answer or a server fault (5xx, 408, 429), each failed server
 * backing off before calls try it again. Claims, renewals and releases are idempotent per agent, so a call whose
 * answer was lost on one server may be made again on another. A renewal is lost only when no server renewed it
 * before its deadline; any server's refusal (404, 409) ends it, since every node of a cluster sees the same seats.
 *
 * <p><b>State.</b> The client keeps its held leases in a {@link ConcurrentHashMap} by agent ID; each
 * {@link RenewingLease} guards its own state with its own lock. Locks are held only to read or move state,
 * never across I/O, a listener call, or a call into the map (so no lock order exists to get wrong). A lease
 * moves once from HELD to either LOST or CLOSED, under its lock, so a loss is reported at most once and never
 * after a close. A renewal in flight is remembered as a future; closing a lease waits for it before sending
 * the release, so a late renewal cannot re-create a seat the release freed.
 *
 * <p><b>Listeners.</b> Losses are handed to the listener thread after the lock is let go and run there in
 * order, one at a time; an exception from a listener is logged. {@link #close()} releases every held lease
 * through the gate (bounded by about twice the request timeout), then shuts the HTTP client, the scheduler and
 * the listener thread down, waiting for losses already handed over to be told.
 */
final class HttpLicenseClient implements LicenseClient {

    /** The most background requests in flight at once. */
    static final int MAX_BACKGROUND_REQUESTS = 64;

    static final System.Logger LOG = System.getLogger(LicenseClient.class.getPackageName());

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ClientSettings settings;
    private final ServerRotation rotation;
    private final HttpClient http;
    private final RequestGate gate;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor listenerExecutor;
    private final ConcurrentHashMap<String, RenewingLease> leases = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread listenerThread;

    HttpLicenseClient(ClientSettings settings) {
        this.settings = settings;
        String prefix = "innolicense-client-" + CLIENTS.incrementAndGet() + "-";
        this.scheduler = new ScheduledThreadPoolExecutor(settings.renewalThreads(), daemons(prefix + "renewal-"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ThreadFactory listenerThreads = daemons(prefix + "listener-");
        this.listenerExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = listenerThreads.newThread(task);
            listenerThread = thread;
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .executor(scheduler)
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.gate = new RequestGate(http, MAX_BACKGROUND_REQUESTS);
        this.rotation = new ServerRotation(settings.servers(), settings.token(), System::nanoTime);
    }

    @Override
    public Lease claim(String agentId, String station) throws SeatDeniedException {
        Objects.requireNonNull(agentId, "agentId");
        if (agentId.isEmpty()) {
            throw new IllegalArgumentException("agentId must not be empty");
        }
        if (station != null && station.isBlank()) {
            throw new IllegalArgumentException("station must not be blank; pass null for none");
        }
        requireOpen();
        Instant sentAt = settings.clock().instant();
        HttpResponse<String> response;
        try {
            response = sendClaim(agentId, station);
        } catch (NoAnswer e) {
            throw new LicenseServerException(
                    "could not claim a seat for " + agentId + ": " + e.getMessage(),
                    0,
                    null,
                    e.getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LicenseServerException(
                    "interrupted while claiming a seat for " + agentId, 0, null, "interrupted", e);
        }
        int status = response.statusCode();
        if (status == 200 || status == 201) {
            SeatGrant grant;
            try {
                grant = SeatGrant.parse(response.body());
            } catch (IllegalArgumentException e) {
                throw new LicenseServerException(
                        "could not read the server's answer to a claim for " + agentId + ": " + e.getMessage(),
                        status,
                        null,
                        e.getMessage(),
                        e);
            }
            return adopt(agentId, station, grant, sentAt);
        }
        Problem problem = Problem.of(response);
        if (status == 409 && (problem.is("seat-limit-reached") || problem.is("capacity-reduced"))) {
            RenewingLease known = leases.get(agentId);
            if (known != null) {
                known.lose(new LeaseLoss(
                        problem.is("capacity-reduced") ? LeaseLoss.Reason.CAPACITY_REDUCED : LeaseLoss.Reason.EXPIRED,
                        problem.detail()));
            }
            throw new SeatDeniedException(
                    agentId, problem.intMember("capacity"), problem.intMember("inUse"), problem.detail());
        }
        if (status == 409 && (problem.is("released-by-administrator") || problem.is("agent-blocked"))) {
            RenewingLease known = leases.get(agentId);
            if (known != null) {
                known.lose(new LeaseLoss(LeaseLoss.Reason.RELEASED_BY_ADMINISTRATOR, problem.detail()));
            }
        }
        throw new LicenseServerException(
                "could not claim a seat for " + agentId + ": " + problem.describe()
                        + (settings.servers().size() > 1 ? " (from " + serverOf(response) + ")" : ""),
                status,
                problem.type(),
                problem.detail(),
                null);
    }

    /**
     * Sends the claim to the servers in turn (see {@link ServerRotation}) until one answers with something other
     * than a server fault; the last server's fault when all of them failed.
     *
     * @throws NoAnswer when no server answered at all
     */
    private HttpResponse<String> sendClaim(String agentId, String station) throws NoAnswer, InterruptedException {
        HttpResponse<String> fault = null;
        List<String> tries = new ArrayList<>();
        IOException lastFailure = null;
        for (ServerRotation.Server server : rotation.candidates()) {
            HttpResponse<String> response;
            try {
                response = sendClaim(server, agentId, station);
            } catch (IOException e) {
                rotation.failed(server, null);
                tries.add(unreachable(server, e));
                lastFailure = e;
                continue;
            }
            if (isServerFault(response.statusCode())) {
                Problem problem = Problem.of(response);
                rotation.failed(server, problem.retryAfter().orElse(null));
                tries.add(server + ": " + problem.describe());
                fault = response;
                continue;
            }
            rotation.succeeded(server);
            if (!tries.isEmpty()) {
                LOG.log(Level.DEBUG, "claim for {0} answered by {1} after {2}", agentId, server, tries);
            }
            return response;
        }
        if (fault != null) {
            return fault;
        }
        throw new NoAnswer(String.join("; ", tries), lastFailure);
    }

    /**
     * Sends the claim to one server, and once more when the connection failed without an answer: a pooled
     * keep-alive connection the server had just closed fails that way ("header parser received no bytes"), and
     * {@code java.net.http} does not resend a {@code PUT} by itself. Sending it again is safe because a claim is
     * idempotent per agent (a second one renews). A timeout or a refused connection is not retried on this
     * server.
     */
    private HttpResponse<String> sendClaim(ServerRotation.Server server, String agentId, String station)
            throws IOException, InterruptedException {
        HttpRequest claim = server.api().claim(agentId, settings.node(), station, settings.requestTimeout());
        try {
            return http.send(claim, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException | ConnectException e) {
            throw e;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "claim for {0} failed without an answer ({1}); sending it once more", agentId, e);
            return http.send(claim, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** No server answered a call: what each try ran into. */
    private static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        NoAnswer(String tries, IOException last) {
            super(tries, last);
        }
    }

    /** An answer that another server may not give: a fault of this server, or one too busy or slow to answer. */
    static boolean isServerFault(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** One server's answer to a background request, or the failure of the last server tried. */
    record Answer(ServerRotation.Server server, HttpResponse<String> response, Throwable failure) {}

    /**
     * Sends a background request to the servers in turn, as {@link #sendClaim} does, through the {@link
     * RequestGate}: the answer of the first server that gives one other than a server fault, else the last
     * server's fault or failure.
     *
     * @param request builds the request for a server; given the number of servers already tried, it may return
     *     {@code null} to try no further (no time left), but not for the first
     */
    CompletableFuture<Answer> sendInTurn(BiFunction<SeatApi, Integer, HttpRequest> request) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        sendInTurn(rotation.candidates(), 0, request, result, null);
        return result;
    }

    private void sendInTurn(
            List<ServerRotation.Server> candidates,
            int tried,
            BiFunction<SeatApi, Integer, HttpRequest> request,
            CompletableFuture<Answer> result,
            Answer previous) {
        ServerRotation.Server server = candidates.get(tried);
        HttpRequest next;
        try {
            next = request.apply(server.api(), tried);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        if (next == null) {
            result.complete(previous);
            return;
        }
        gate.send(next).whenComplete((response, failure) -> {
            Answer answer = new Answer(server, response, failure);
            if (failure == null && !isServerFault(response.statusCode())) {
                rotation.succeeded(server);
                result.complete(answer);
                return;
            }
            rotation.failed(
                    server,
                    response == null ? null : Problem.of(response).retryAfter().orElse(null));
            if (tried + 1 < candidates.size() && !closed.get()) {
                LOG.log(
                        Level.DEBUG,
                        "{0} failed ({1}); trying {2}",
                        server,
                        failure != null
                                ? unreachable(server, failure)
                                : Problem.of(response).describe(),
                        candidates.get(tried + 1));
                sendInTurn(candidates, tried + 1, request, result, answer);
            } else {
                result.complete(answer);
            }
        });
    }

    private Lease adopt(String agentId, String station, SeatGrant grant, Instant sentAt) {
        RenewingLease[] created = new RenewingLease[1];
        RenewingLease lease = leases.compute(agentId, (id, known) -> {
            if (known != null && known.refresh(grant, station, sentAt)) {
                return known;
            }
            created[0] = new RenewingLease(this, agentId, station, grant, sentAt);
            return created[0];
        });
        if (created[0] != null) {
            created[0].start();
        }
        if (closed.get()) {
            lease.close();
            throw new IllegalStateException("the license client was closed during the claim for " + agentId);
        }
        return lease;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        for (RenewingLease lease : leases.values()) {
            releases.add(lease.release());
        }
        leases.clear();
        Duration bound = settings.requestTimeout().multipliedBy(2);
        try {
            CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new))
                    .get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            long pending = releases.stream().filter(r -> !r.isDone()).count();
            LOG.log(
                    Level.WARNING,
                    "closing the license client: {0} releases not answered within {1}; those seats expire by themselves",
                    pending,
                    bound);
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "closing the license client: a release failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.shutdownNow();
        scheduler.shutdownNow();
        listenerExecutor.shutdown();
        try {
            http.awaitTermination(Duration.ofSeconds(1));
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
            if (Thread.currentThread() != listenerThread) {
                listenerExecutor.awaitTermination(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LicenseClient[" + rotation + ", " + leases.size() + " leases" + (closed.get() ? ", closed" : "") + "]";
    }

    ClientSettings settings() {
        return settings;
    }

    RequestGate gate() {
        return gate;
    }

    /** Runs {@code task} after {@code delay} on the scheduler; {@code null} when the client is shutting down. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            Runnable logged = () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "a bug stopped a scheduled renewal", e);
                }
            };
            return scheduler.schedule(logged, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Forgets a lease that is no longer held; a newer lease of the same agent is kept. */
    void forget(RenewingLease lease) {
        leases.remove(lease.agentId(), lease);
    }

    /** Tells listeners of a loss, one at a time on the listener thread. */
    void deliver(Lease lease, LeaseLoss loss, List<LeaseListener> listeners) {
        for (LeaseListener listener : listeners) {
            try {
                listenerExecutor.execute(() -> tell(listener, lease, loss));
            } catch (RejectedExecutionException e) {
                LOG.log(Level.DEBUG, "client closed; not telling a listener of {0}", loss);
            }
        }
    }

    private static void tell(LeaseListener listener, Lease lease, LeaseLoss loss) {
        try {
            listener.leaseLost(lease, loss);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            LOG.log(Level.WARNING, "a lease listener failed on the loss of " + lease.agentId() + " (" + loss + ")", e);
        }
    }

    /** Logs how a release ended; a lease the server no longer holds counts as released. */
    void logRelease(String agentId, Answer answer, Throwable failure) {
        if (failure != null || answer.failure() != null) {
            LOG.log(
                    Level.WARNING,
                    "could not release the seat of {0} ({1}); it frees itself when the lease expires",
                    agentId,
                    failure != null ? failure.toString() : unreachable(answer.server(), answer.failure()));
            return;
        }
        HttpResponse<String> response = answer.response();
        int status = response.statusCode();
        if (status / 100 != 2 && status != 404 && status != 410) {
            LOG.log(
                    Level.WARNING,
                    "the server refused to release the seat of {0} ({1}); it frees itself when the lease expires",
                    agentId,
                    Problem.of(response).describe());
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the license client is closed");
        }
    }

    /** What went wrong on the way to a server, in a few words. */
    String unreachable(ServerRotation.Server server, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String what = cause instanceof HttpTimeoutException
                ? "no answer within the timeout"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return server + " unreachable: " + what;
    }

    /** The base URL of the server that gave an answer, for messages. */
    private static String serverOf(HttpResponse<String> response) {
        URI uri = response.request().uri();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
