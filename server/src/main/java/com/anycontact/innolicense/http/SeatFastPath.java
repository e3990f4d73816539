package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.cluster.ClockSkewedException;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.seat.SeatReleases;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the ACD's seat calls, {@code PUT} and {@code DELETE /api/v1/seats/{agentId}}, on the thread that
 * read them, and hands every other request to the Javalin application on a virtual thread of its own.
 *
 * <p>Why: a claim, renewal or release is decided in memory in about a microsecond ({@code
 * JournaledSeatStore}); what a request cost on top of that was mostly handing it from Jetty's selector to
 * a request thread and back, and parking that thread until the claim's group commit. Here the selector
 * thread parses the request, decides on the ledger and, for a renewal, writes the answer at once; a claim
 * or release is answered by the journal's writer thread when the batch holding it has committed ({@link
 * SeatLedger#claimAsync}), so no thread waits for the disk.
 *
 * <p>Only the ordinary call takes this path: a bearer token the access service has checked within the
 * last {@link AccessService#TOKEN_RECHECK} whose role the route allows, a well-formed agent ID in a plain
 * path, and an empty body or a small JSON body ({@code Content-Type: application/json}) that is all there and
 * reads as a valid claim body. Anything else (a session cookie, an unknown or stale token, a wrong role, bad
 * input, another media type, a trailing slash) goes to the
 * Javalin route, whose answers, errors included, are the API's reference; the body, if read, is handed on
 * unchanged. The answers here are the same: same status, same JSON, the same problem types. A denial or a
 * refused renewal is answered like a grant, by the journal's writer once the batch holding the denial row has
 * committed, and its audit entry is queued for the audit log's own writer ({@link
 * com.anycontact.innolicense.audit.AuditLog#recordLater}), so it costs no thread hand-off and no transaction of
 * its own. A claim or renewal of an agent an administrator released or blocked ({@link SeatReleases}) is refused
 * here too, before the ledger is asked, after one look at a map in memory. While a claim or release is decided,
 * the selector keeps watching its connection ({@link KeptReadInterest}), so that the call costs no change of the
 * connection's key. Every request is timed in {@code http.server.requests} under the route's template.
 */
final class SeatFastPath extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(SeatFastPath.class);
    private static final String SEATS = HttpApi.PREFIX + "/seats/";
    private static final String TEMPLATE = SEATS + "{agentId}";
    private static final int MAX_FAST_BODY = 4 * 1024;
    private static final String JSON = "application/json";

    /** Set while this thread writes an answer: see {@link ThreadPool}. */
    private static final ThreadLocal<Boolean> ANSWERING = new ThreadLocal<>();

    private final SeatLedger ledger;
    private final AccessService access;
    private final SeatRoutes routes;
    private final Json json;
    private final Problems problems;
    private final RequestTimer timer;
    private final Set<ApiRole> claimRoles;
    private final Set<ApiRole> releaseRoles;
    private final Counter answered;
    private final SessionCookie transport;
    private final ExecutorService slow = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("innolicense-http-", 0).factory());
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final Counter busy;

    SeatFastPath(
            SeatLedger ledger,
            AccessService access,
            SeatRoutes routes,
            Json json,
            Problems problems,
            RequestTimer timer,
            Set<ApiRole> claimRoles,
            Set<ApiRole> releaseRoles,
            MeterRegistry registry,
            SessionCookie transport,
            int maxRequestsInFlight) {
        this.ledger = ledger;
        this.access = access;
        this.routes = routes;
        this.json = json;
        this.problems = problems;
        this.timer = timer;
        this.claimRoles = Set.copyOf(claimRoles);
        this.releaseRoles = Set.copyOf(releaseRoles);
        this.transport = transport;
        this.maxInFlight = maxRequestsInFlight;
        this.inFlight = new Semaphore(maxRequestsInFlight);
        this.busy = Counter.builder("innolicense.http.busy")
                .description("Requests answered 503 server-busy because as many as allowed were running already")
                .register(registry);
        this.answered = Counter.builder("innolicense.http.seat.fast")
                .description("Seat calls answered by the fast path, without a request thread; the others went to"
                        + " the API's routes")
                .register(registry);
    }

    /** Never blocks: Jetty may call it on the selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String method = request.getMethod();
        boolean claim = "PUT".equals(method);
        if (!claim && !"DELETE".equals(method)) {
            return dispatch(request, response, callback);
        }
        AgentId agent = agent(request);
        Principal caller = agent == null ? null : caller(request, claim ? claimRoles : releaseRoles);
        if (caller == null) {
            return dispatch(request, response, callback);
        }
        long length = request.getLength();
        if (!claim) {
            if (length > 0) {
                return dispatch(request, response, callback);
            }
            release(agent, response, callback, started);
            return true;
        }
        if (length < 0 || length > MAX_FAST_BODY) {
            // a chunked body, whose length is not known up front, or a large one: the route reads it
            return dispatch(request, response, callback);
        }
        if (length == 0) {
            claim(
                    new ClaimRequest(agent, access.boundNode(caller).orElse(null), null),
                    caller,
                    response,
                    callback,
                    started);
            return true;
        }
        readBody(new Body(request, response, callback, agent, caller, (int) length, started));
        return true;
    }

    /** A claim body being read, without blocking: what has arrived, and what to answer it on. */
    private record Body(
            Request request,
            Response response,
            Callback callback,
            AgentId agent,
            Principal caller,
            int length,
            long started,
            ByteArrayOutputStream read) {

        Body(
                Request request,
                Response response,
                Callback callback,
                AgentId agent,
                Principal caller,
                int length,
                long started) {
            this(request, response, callback, agent, caller, length, started, new ByteArrayOutputStream(length));
        }
    }

    /**
     * Reads what has arrived of the body; when that is not all, asks to be called again when more arrives
     * (the body usually comes with the headers, but a client may send it after them, as {@code
     * java.net.http} does). With the whole body read, claims, or hands the request with the body to the
     * route when it is not an ordinary claim body.
     */
    private void readBody(Body body) {
        while (true) {
            Content.Chunk chunk = body.request().read();
            if (chunk == null) {
                body.request().demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, () -> readBody(body)));
                return;
            }
            boolean failed = chunk.getFailure() != null;
            boolean last = chunk.isLast();
            ByteBuffer bytes = chunk.getByteBuffer();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            chunk.release();
            body.read().writeBytes(copy);
            if (failed || last || body.read().size() >= body.length()) {
                byte[] whole = body.read().toByteArray();
                boolean json = Json.isJson(body.request().getHeaders().get(HttpHeader.CONTENT_TYPE));
                ClaimRequest parsed = !failed && json && whole.length == body.length()
                        ? bound(claimRequest(body.agent(), whole), body.caller())
                        : null;
                if (parsed == null) {
                    dispatch(new Replayed(body.request(), whole, last), body.response(), body.callback());
                } else {
                    claim(parsed, body.caller(), body.response(), body.callback(), body.started());
                }
                return;
            }
        }
    }

    private void claim(ClaimRequest request, Principal caller, Response response, Callback callback, long started) {
        Optional<SeatReleases.Refusal> refusal = routes.adminRefusal(request.agent());
        if (refusal.isPresent()) {
            // released or blocked by an administrator: answered as the route does; telling the notice is a write
            offload(
                    response,
                    callback,
                    started,
                    () -> problem("PUT", routes.refusedByAdministrator(refusal.get()), response, callback, started));
            return;
        }
        CompletableFuture<ClaimResult> decision = decided(() -> ledger.claimAsync(request));
        Response answering = KeptReadInterest.answerOn(response, decision);
        decision.whenComplete((result, failure) -> {
            if (failure != null) {
                failed("PUT", failure, answering, callback, started);
                return;
            }
            switch (result) {
                case ClaimResult.Claimed claimed -> {
                    routes.claimed(caller);
                    answer("PUT", 201, json.bytes(routes.grant(claimed.lease())), answering, callback, started);
                }
                case ClaimResult.Renewed renewed ->
                    answer("PUT", 200, json.bytes(routes.grant(renewed.lease())), answering, callback, started);
                case ClaimResult.Denied denied ->
                    refused(request.agent(), result, caller, answering, callback, started);
                case ClaimResult.CapacityReduced reduced ->
                    refused(request.agent(), result, caller, answering, callback, started);
            }
        });
    }

    private void release(AgentId agent, Response response, Callback callback, long started) {
        CompletableFuture<Boolean> decision = decided(() -> ledger.releaseAsync(agent));
        Response answering = KeptReadInterest.answerOn(response, decision);
        decision.whenComplete((released, failure) -> {
            if (failure != null) {
                failed("DELETE", failure, answering, callback, started);
            } else if (released) {
                answer("DELETE", 204, null, answering, callback, started);
            } else {
                problem("DELETE", SeatRoutes.notHeld(agent), answering, callback, started);
            }
        });
    }

    /** The ledger's future, or a failed one when asking the ledger threw (the route would answer 500 too). */
    private static <T> CompletableFuture<T> decided(Supplier<CompletableFuture<T>> decide) {
        try {
            return decide.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A denial or a refused renewal, answered at once on this thread like a grant: the ledger's record of it is
     * durable already, and its audit entry is queued, not waited for ({@link SeatRoutes#refused}).
     */
    private void refused(
            AgentId agent, ClaimResult result, Principal caller, Response response, Callback callback, long started) {
        problem("PUT", routes.refused(agent, result, caller), response, callback, started);
    }

    private void failed(String method, Throwable failure, Response response, Callback callback, long started) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof StoreUnavailableException refusal) {
            problem(method, Problems.storeUnavailable(refusal), response, callback, started);
            return;
        }
        if (cause instanceof DatabaseUnreachableException refusal) {
            problem(method, Problems.databaseUnavailable(refusal), response, callback, started);
            return;
        }
        if (cause instanceof ClockSkewedException refusal) {
            problem(method, Problems.clockSkewed(refusal), response, callback, started);
            return;
        }
        LOG.warn("{} {} failed", method, Request.getPathInContext(response.getRequest()), cause);
        problem(
                method,
                ProblemType.INTERNAL_ERROR.problem("the server failed to answer; its log has the details"),
                response,
                callback,
                started);
    }

    private void problem(String method, ProblemException problem, Response response, Callback callback, long started) {
        Problems.Rendered rendered = problems.render(problem);
        rendered.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        write(
                method,
                rendered.status(),
                Problems.MEDIA_TYPE + ";charset=utf-8",
                rendered.body(),
                response,
                callback,
                started);
    }

    private void answer(String method, int status, byte[] body, Response response, Callback callback, long started) {
        write(method, status, JSON, body, response, callback, started);
    }

    private void write(
            String method,
            int status,
            String contentType,
            byte[] body,
            Response response,
            Callback callback,
            long started) {
        response.setStatus(status);
        SecurityHeaders.api(
                (name, value) -> response.getHeaders().put(name, value), transport.isSecure(response.getRequest()));
        if (body != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        }
        timer.record(method, TEMPLATE, status, System.nanoTime() - started);
        answered.increment();
        ANSWERING.set(Boolean.TRUE);
        try {
            response.write(true, body == null ? null : ByteBuffer.wrap(body), callback);
        } finally {
            ANSWERING.remove();
        }
    }

    /** The agent of a plain seat path, or {@code null} for anything the route should look at. */
    private static AgentId agent(Request request) {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.startsWith(SEATS) || path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
            return null;
        }
        return AgentId.parse(path.substring(SEATS.length())).orElse(null);
    }

    /**
     * Who calls, when it presents a bearer token known to be valid, of a role the route allows; {@code null}
     * for anything the route should look at.
     */
    private Principal caller(Request request, Set<ApiRole> roles) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        Principal principal =
                access.knownToken(authorization.substring(7).strip()).orElse(null);
        return principal != null && roles.contains(ApiRole.of(principal.role())) ? principal : null;
    }

    /** The claim body, or {@code null} when the route should read it and say what is wrong. */
    private ClaimRequest claimRequest(AgentId agent, byte[] body) {
        try {
            SeatRoutes.ClaimBody parsed =
                    json.readOptional(body, SeatRoutes.ClaimBody.class).orElse(new SeatRoutes.ClaimBody(null, null));
            if (!SeatRoutes.isValidLabel(parsed.node()) || !SeatRoutes.isValidLabel(parsed.station())) {
                return null;
            }
            return new ClaimRequest(agent, parsed.node(), parsed.station());
        } catch (ProblemException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The claim with the node its caller's token is bound to filled in, or {@code null} (for the route to refuse)
     * when it names another node.
     */
    private ClaimRequest bound(ClaimRequest parsed, Principal caller) {
        if (parsed == null || routes.carriesNode(caller, parsed.node())) {
            return parsed;
        }
        if (parsed.node() != null) {
            return null;
        }
        return new ClaimRequest(parsed.agent(), access.boundNode(caller).orElseThrow(), parsed.station());
    }

    /**
     * Hands the request to the Javalin application on a virtual thread, where it may block; or, when {@code
     * maxRequestsInFlight} run already, answers 503 {@code server-busy} at once on this thread.
     */
    private boolean dispatch(Request request, Response response, Callback callback) {
        if (!inFlight.tryAcquire()) {
            busy(response, callback);
            return true;
        }
        Callback releasing = new Callback.Nested(callback) {
            private final AtomicBoolean released = new AtomicBoolean();

            @Override
            public void succeeded() {
                release();
                super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                release();
                super.failed(failure);
            }

            private void release() {
                if (released.compareAndSet(false, true)) {
                    inFlight.release();
                }
            }
        };
        offload(response, releasing, System.nanoTime(), () -> {
            if (!super.handle(request, response, releasing)) {
                Response.writeError(request, response, releasing, 404);
            }
        });
        return true;
    }

    /** How many requests that left the fast path are running now. */
    int requestsInFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    private void busy(Response response, Callback callback) {
        busy.increment();
        Problems.Rendered rendered = problems.render(ProblemType.SERVER_BUSY
                .problem("the server is handling as many requests as it allows at once (" + maxInFlight
                        + "); try again in 1 s")
                .withHeader("Retry-After", "1"));
        rendered.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.setStatus(rendered.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE + ";charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, rendered.body().length);
        response.write(true, ByteBuffer.wrap(rendered.body()), callback);
    }

    /**
     * Runs slow work (a write: the notice of a force-release, a request that left the fast path) off the I/O
     * thread. A refusal of the store, the database or the clock that the work meets is answered as a refusal of
     * the ledger is (503, not 500).
     */
    private void offload(Response response, Callback callback, long started, Work work) {
        try {
            slow.execute(() -> {
                try {
                    work.run();
                } catch (StoreUnavailableException | DatabaseUnreachableException | ClockSkewedException refusal) {
                    failed(response.getRequest().getMethod(), refusal, response, callback, started);
                } catch (Throwable t) {
                    LOG.warn(
                            "{} {} failed",
                            response.getRequest().getMethod(),
                            Request.getPathInContext(response.getRequest()),
                            t);
                    callback.failed(t);
                }
            });
        } catch (RejectedExecutionException e) {
            callback.failed(e);
        }
    }

    /**
     * Jetty's thread pool, which continues a connection on the thread that completed its answer when that
     * thread is one writing an answer here from outside the selector (the journal's writer thread after a
     * commit), instead of waking a pool thread for it: Jetty's HTTP/1.1 connection resumes on its executor
     * when an answer completes on a thread other than the one that read the request, and all it does then
     * is ask the selector to watch for the next request, which costs less than the wake-up.
     *
     * <p>When nothing of a next request has been read yet, the connection is handed straight back to the
     * selector ({@link #awaitNextRequest}) instead: resuming it would first try to read the socket twice
     * (Jetty retries an empty read once), and an ACD's next request on that connection is seldom there
     * microseconds after its answer, so on the journal's writer those two reads were a tenth of its time.
     */
    static final class ThreadPool extends QueuedThreadPool {
        ThreadPool(int maxThreads, int minThreads) {
            super(maxThreads, minThreads);
        }

        @Override
        public void execute(Runnable job) {
            if (ANSWERING.get() == null) {
                super.execute(job);
            } else if (job instanceof HttpConnection connection && awaitsNextRequest(connection)) {
                awaitNextRequest(connection);
            } else {
                job.run();
            }
        }

        /**
         * Whether the connection's answer is complete and nothing of another request is buffered: Jetty would
         * then read the socket, find nothing, and ask the selector to watch it, which is all this does.
         */
        private static boolean awaitsNextRequest(HttpConnection connection) {
            EndPoint endPoint = connection.getEndPoint();
            return connection.isRequestBufferEmpty()
                    && connection.getParser().isStart()
                    && endPoint.getConnection() == connection
                    && endPoint.isOpen()
                    && !endPoint.isInputShutdown()
                    && !endPoint.isFillInterested();
        }

        /**
         * Asks the selector to call the connection when the next request arrives, as the connection itself
         * would after finding nothing to read: the same callback (it fills, parses and handles), failing as
         * the connection's own does, invoked on the selector as the server's handlers allow.
         */
        private static void awaitNextRequest(HttpConnection connection) {
            Invocable.InvocationType invocation = connection.getServer().getInvocationType();
            connection.getEndPoint().fillInterested(new Callback() {
                @Override
                public void succeeded() {
                    connection.onFillable();
                }

                @Override
                public void failed(Throwable failure) {
                    connection.onFillInterestedFailed(failure);
                }

                @Override
                public InvocationType getInvocationType() {
                    return invocation;
                }
            });
        }
    }

    /** Work that may block, run off the selector thread. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    @Override
    protected void doStop() throws Exception {
        slow.shutdown();
        super.doStop();
    }

    /** The request with the body already read put back in front of what is left of it. */
    private static final class Replayed extends Request.Wrapper {
        private Content.Chunk first;

        Replayed(Request request, byte[] body, boolean last) {
            super(request);
            this.first = Content.Chunk.from(ByteBuffer.wrap(body), last);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = first;
            if (chunk != null) {
                first = null;
                return chunk;
            }
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (first != null) {
                demandCallback.run();
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
