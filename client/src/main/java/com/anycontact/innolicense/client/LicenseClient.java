package com.anycontact.innolicense.client;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The ACD's connection to the innoACD license server: claims seats for agents, renews them in the background
 * and releases them. One client per ACD node serves thousands of leases with a few threads; it is
 * thread-safe. Closing it releases every seat it still holds and stops its threads.
 *
 * <p>Here {@code serverUrl} is the license server's URL, {@code acdToken} an API token with role ACD, and
 * {@code acd} stands for the ACD's own code:
 *
 * <pre>{@code
 * LicenseClient client = LicenseClient.builder()
 *         .server(serverUrl)
 *         .token(acdToken)
 *         .node("acd-node-1")
 *         .listener((lease, loss) -> acd.logOut(lease.agentId(), loss.reason()))
 *         .build();
 *
 * try (Lease lease = client.claim("agent-4711", "station-12")) {
 *     acd.serve(lease); // returns when the agent logs out; closing the lease releases the seat
 * } catch (SeatDeniedException denied) {
 *     acd.refuseLogin("agent-4711", denied.capacity(), denied.inUse());
 * }
 *
 * client.close(); // at shutdown: releases the seats still held
 * }</pre>
 *
 * <p>docs/client-sdk.md describes the lease lifecycle, what to do for each {@link LeaseLoss.Reason}, the
 * threads and the retry policy.
 */
public interface LicenseClient extends AutoCloseable {

    /**
     * A builder for a client; {@link Builder#server(URI)} (or {@link Builder#servers(URI...)} for several nodes)
     * and {@link Builder#token(String)} are required.
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Claims a seat for an agent (the agent logs in), with no station. See {@link #claim(String, String)}.
     *
     * @throws SeatDeniedException when no seat is free
     * @throws LicenseServerException when the server cannot be reached or refuses the request
     */
    default Lease claim(String agentId) throws SeatDeniedException {
        return claim(agentId, null);
    }

    /**
     * Claims a seat for an agent at a station (the agent logs in), naming the client's node. Blocks until a
     * server answers, at most the request timeout per server tried. With several servers, a server that does not
     * answer or answers with a server fault passes the claim on to the next; once every server was tried, the
     * claim is not retried, so the caller decides whether to try again. The returned lease renews itself until
     * it is closed or lost.
     *
     * <p>Claims are idempotent per agent: an agent that already holds a seat, from this or any other ACD node,
     * keeps it. When this client already holds a lease for the agent, that same {@code Lease} is renewed and
     * returned, and closing it (from any caller) releases the agent's seat.
     *
     * @param agentId the agent's ID as the ACD names it (the server accepts 1 to 64 ASCII letters, digits and
     *     {@code . _ - @ :}, starting with a letter or digit)
     * @param station the agent's station, or {@code null} for none
     * @throws SeatDeniedException when no seat is free, or capacity dropped below this agent's seat
     * @throws LicenseServerException when the server cannot be reached or refuses the request (for example
     *     401 for a revoked token, 400 for an invalid agent ID)
     * @throws IllegalStateException when the client is closed
     */
    Lease claim(String agentId, String station) throws SeatDeniedException;

    /**
     * Releases every seat this client holds (in parallel, waiting at most about twice the request timeout),
     * then stops its threads. Listeners are not called. Idempotent.
     */
    @Override
    void close();

    /** Configures and builds a {@link LicenseClient}. Not thread-safe; each setter checks its argument. */
    final class Builder {

        private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
        private static final int DEFAULT_RENEWAL_THREADS = 2;

        private List<URI> servers;
        private String token;
        private String node;
        private LeaseListener listener;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int renewalThreads = DEFAULT_RENEWAL_THREADS;
        private InstantSource clock;

        private Builder() {}

        /**
         * The license server's base URL, for example {@code http://licensing.example:8080}; the seat API lives
         * under {@code api/v1/} beneath it. Required, unless {@link #servers(URI...)} is called instead. The same
         * as {@code servers(server)}.
         *
         * @throws IllegalArgumentException unless it is an absolute {@code http} or {@code https} URL with a
         *     host and without query or fragment
         */
        public Builder server(URI server) {
            return servers(server);
        }

        /**
         * The base URLs of the server nodes of one cluster (or of one server and its load balancer), tried in
         * turn: each call goes to the node that answered last; when a node does not answer (connection refused,
         * timeout) or answers with a server fault (5xx, 408, 429), the same call goes at once to the next one,
         * which is safe because claims, renewals and releases are idempotent per agent. A node that failed is
         * left alone for a back-off (from half a second, doubling up to 30 s, and at least its {@code
         * Retry-After}) before calls try it again. Replaces what {@link #server(URI)} or an earlier call set.
         *
         * @throws IllegalArgumentException when none is given, one is named twice, or one is not an absolute
         *     {@code http} or {@code https} URL with a host and without query or fragment
         */
        public Builder servers(URI... servers) {
            Objects.requireNonNull(servers, "servers");
            return servers(Arrays.asList(servers));
        }

        /**
         * The base URLs of the server nodes, tried in turn; see {@link #servers(URI...)}.
         *
         * @throws IllegalArgumentException when the list is empty, names a server twice, or holds a URL that is
         *     not an absolute {@code http} or {@code https} URL with a host and without query or fragment
         */
        public Builder servers(List<URI> servers) {
            Objects.requireNonNull(servers, "servers");
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("servers must name at least one server");
            }
            List<URI> checked = new ArrayList<>();
            for (URI server : servers) {
                Objects.requireNonNull(server, "server");
                String scheme =
                        server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw new IllegalArgumentException("server must be an http or https URL, not " + server);
                }
                if (server.getHost() == null) {
                    throw new IllegalArgumentException("server must name a host: " + server);
                }
                if (server.getRawQuery() != null || server.getRawFragment() != null) {
                    throw new IllegalArgumentException("server must not have a query or fragment: " + server);
                }
                if (checked.contains(server)) {
                    throw new IllegalArgumentException("server " + server + " is named twice");
                }
                checked.add(server);
            }
            this.servers = List.copyOf(checked);
            return this;
        }

        /**
         * The API token with role ACD, sent as a bearer token. Required.
         *
         * @throws IllegalArgumentException when it is empty or has characters other than visible ASCII
         */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("token must be one or more visible ASCII characters");
            }
            this.token = token;
            return this;
        }

        /**
         * The ACD node sent with every claim and renewal, shown to supervisors. Optional; {@code null} sends
         * none.
         *
         * @throws IllegalArgumentException when it is blank
         */
        public Builder node(String node) {
            if (node != null && node.isBlank()) {
                throw new IllegalArgumentException("node must not be blank; pass null for none");
            }
            this.node = node;
            return this;
        }

        /**
         * A listener told of every lost lease of this client, before the lease's own listeners. Optional;
         * {@code null} for none.
         */
        public Builder listener(LeaseListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * How long to wait for a connection and for each answer; 10 seconds unless set. A renewal waits at most
         * until its lease would expire.
         *
         * @throws IllegalArgumentException unless it is positive
         */
        public Builder requestTimeout(Duration requestTimeout) {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, not " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * The threads that time renewals and complete HTTP exchanges; 2 unless set. They never block, so a few
         * serve thousands of leases.
         *
         * @throws IllegalArgumentException unless it is between 1 and 64
         */
        public Builder renewalThreads(int renewalThreads) {
            if (renewalThreads < 1 || renewalThreads > 64) {
                throw new IllegalArgumentException("renewalThreads must be between 1 and 64, not " + renewalThreads);
            }
            this.renewalThreads = renewalThreads;
            return this;
        }

        /**
         * The clock that judges whether a lease's time is up. Unless set, the wall time when the client is
         * built moved on by the JVM's monotonic clock, so that a step of the host's system clock neither ends
         * a lease early nor keeps one the server has let go. For tests: the renewal timers themselves run on
         * real time.
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the client and starts its threads.
         *
         * @throws NullPointerException when neither {@link #server(URI)} nor {@link #servers(URI...)}, or {@link
         *     #token(String)} was not called
         */
        public LicenseClient build() {
            Objects.requireNonNull(servers, "server is required: call server(URI) or servers(URI...) before build()");
            Objects.requireNonNull(token, "token is required: call token(String) before build()");
            return new HttpLicenseClient(new ClientSettings(
                    servers,
                    token,
                    node,
                    listener,
                    requestTimeout,
                    renewalThreads,
                    clock != null ? clock : MonotonicClock.system()));
        }
    }
}
