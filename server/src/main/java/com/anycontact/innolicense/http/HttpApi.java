package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API under {@code /api/v1}, with {@code /metrics} and {@code /health/*} beside it: the one place
 * where every route is declared with the roles that may call it ({@link #routes()}); authentication runs
 * before every matched route ({@link Authenticator}), every error is written by {@link Problems}, every
 * answer carries the {@link SecurityHeaders}, and every request is timed ({@link RequestTimer}). The ACD's seat calls are answered on Jetty's selector threads by
 * {@link SeatFastPath} when they are ordinary, every other request runs on a virtual thread; nothing is
 * logged per request.
 * {@code docs/openapi.yaml} describes every route, and a test keeps the two equal. The web UI's pages and
 * assets ({@link WebUi}) are served beside the API, open to anyone: they hold no data.
 */
public final class HttpApi {

    /** The path prefix of every route. */
    public static final String PREFIX = "/api/v1";

    private static final int JETTY_MIN_THREADS = 4;
    private static final int JETTY_MAX_THREADS = 64;

    /**
     * One route.
     *
     * @param method the HTTP method
     * @param path the path, with {@code {name}} for path parameters
     * @param roles who may call it
     * @param handler what answers it
     */
    public record Route(HandlerType method, String path, Set<ApiRole> roles, Handler handler) {
        /** Requires at least one role. */
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            roles = Set.copyOf(roles);
            if (roles.isEmpty()) {
                throw new IllegalArgumentException(method + " " + path + " declares no role");
            }
            Objects.requireNonNull(handler, "handler");
        }
    }

    private final Json json = new Json();
    private final Problems problems = new Problems(json.mapper());
    private final SessionCookie cookie;
    private final Authenticator authenticator;
    private final List<Route> routes;
    private final RequestTimer requestTimer;
    private final WebUi webUi;
    private final ApiServices services;
    private final SeatRoutes seats;
    private final HttpLimits limits;

    /** The API over these services, with the {@link HttpLimits#DEFAULT} limits. */
    public HttpApi(ApiServices services) {
        this(services, HttpLimits.DEFAULT);
    }

    /** The API over these services, within these limits. */
    public HttpApi(ApiServices services, HttpLimits limits) {
        Objects.requireNonNull(services, "services");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cookie = new SessionCookie(services.secureCookies(), services.proxies());
        this.authenticator = new Authenticator(services.access(), services.sessions(), cookie);
        LicenseRoutes license =
                new LicenseRoutes(services.licenses(), services.seats(), services.clock(), services.cluster(), json);
        this.services = services;
        this.seats = new SeatRoutes(
                services.seats(), services.releases(), services.access(), services.audit(), services.clock(), json);
        SessionRoutes session = new SessionRoutes(services, json, cookie);
        TokenRoutes tokens = new TokenRoutes(services.access(), json);
        AuditRoutes audit = new AuditRoutes(services.audit(), json);
        UserRoutes users = new UserRoutes(services.access(), services.sessions(), json);
        LoginThrottleRoutes throttle = new LoginThrottleRoutes(services.access(), json);
        OpenApiRoutes openApi = new OpenApiRoutes();
        MetricsRoutes metrics = new MetricsRoutes(services.metrics());
        ClusterRoutes cluster = new ClusterRoutes(services.cluster(), json);
        HealthRoutes health =
                new HealthRoutes(services.readiness(), json, services.clustered() ? cluster::view : () -> null);
        this.requestTimer = new RequestTimer(services.metrics());
        UsageRoutes usage = new UsageRoutes(services.usage(), services.licenses(), services.seats(), json);
        ReportRoutes reports = new ReportRoutes(services.reports(), services.usage(), services.licenses(), json);
        LiveEvents events = services.events();
        AlertRoutes alerts = new AlertRoutes(services.alerts(), json);
        this.webUi = new WebUi(services.sessions(), cookie);
        this.routes = List.of(
                route(HandlerType.POST, "/session", session::login, ApiRole.ANYONE),
                route(HandlerType.GET, "/session", session::whoAmI, ApiRole.AUTHENTICATED),
                route(HandlerType.DELETE, "/session", session::logout, ApiRole.AUTHENTICATED),
                route(HandlerType.GET, "/license", license::status, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.POST, "/license", license::apply, ApiRole.ADMIN),
                route(HandlerType.POST, "/license/preview", license::preview, ApiRole.ADMIN),
                route(HandlerType.GET, "/license/history", license::history, ApiRole.ADMIN),
                route(HandlerType.PUT, "/seats/{agentId}", seats::claim, ApiRole.ACD),
                route(HandlerType.DELETE, "/seats/{agentId}", seats::release, ApiRole.ACD),
                route(HandlerType.GET, "/seats", seats::list, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.POST, "/seats/{agentId}/release", seats::forceRelease, ApiRole.ADMIN),
                route(HandlerType.GET, "/seat-blocks", seats::blocks, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.DELETE, "/seat-blocks/{agentId}", seats::unblock, ApiRole.ADMIN),
                route(HandlerType.GET, "/usage", usage::usage, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.GET, "/cluster", cluster::nodes, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.GET, "/reports/daily", reports::daily, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.GET, "/reports/monthly", reports::monthly, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.GET, "/reports/heatmap", reports::heatmap, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.GET, "/reports/right-size", reports::rightSize, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.GET, "/events", events::handle, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                route(HandlerType.POST, "/tokens", tokens::create, ApiRole.ADMIN),
                route(HandlerType.GET, "/tokens", tokens::list, ApiRole.ADMIN),
                route(HandlerType.DELETE, "/tokens/{id}", tokens::revoke, ApiRole.ADMIN),
                route(HandlerType.GET, "/audit", audit::find, ApiRole.ADMIN),
                route(HandlerType.GET, "/audit/verify", audit::verify, ApiRole.ADMIN),
                route(HandlerType.GET, "/users", users::list, ApiRole.ADMIN),
                route(HandlerType.POST, "/users", users::create, ApiRole.ADMIN),
                route(HandlerType.DELETE, "/users/{username}", users::delete, ApiRole.ADMIN),
                route(HandlerType.PUT, "/users/{username}/password", users::setPassword, ApiRole.ADMIN),
                route(HandlerType.DELETE, "/login-throttle/{subject}", throttle::unlock, ApiRole.ADMIN),
                route(HandlerType.GET, "/alerts", alerts::recent, ApiRole.ADMIN),
                route(HandlerType.GET, "/alerts/rules", alerts::rules, ApiRole.ADMIN),
                route(HandlerType.PUT, "/alerts/rules/{rule}", alerts::setRule, ApiRole.ADMIN),
                route(HandlerType.GET, "/alerts/subscriptions", alerts::subscriptions, ApiRole.ADMIN),
                route(HandlerType.POST, "/alerts/subscriptions", alerts::subscribe, ApiRole.ADMIN),
                route(HandlerType.PUT, "/alerts/subscriptions/{id}/rules", alerts::setSubscriptionRules, ApiRole.ADMIN),
                route(HandlerType.DELETE, "/alerts/subscriptions/{id}", alerts::unsubscribe, ApiRole.ADMIN),
                route(HandlerType.GET, "/alerts/subscriptions/{id}/deliveries", alerts::deliveries, ApiRole.ADMIN),
                route(HandlerType.POST, "/alerts/subscriptions/{id}/test", alerts::test, ApiRole.ADMIN),
                route(HandlerType.GET, "/alerts/smtp", alerts::smtp, ApiRole.ADMIN),
                route(HandlerType.PUT, "/alerts/smtp", alerts::setSmtp, ApiRole.ADMIN),
                route(HandlerType.GET, "/openapi.yaml", openApi::document, ApiRole.ANYONE),
                operations(HandlerType.GET, "/metrics", metrics::scrape, ApiRole.SUPERVISOR, ApiRole.ADMIN),
                operations(HandlerType.GET, "/health/live", health::live, ApiRole.ANYONE),
                operations(HandlerType.GET, "/health/ready", health::ready, ApiRole.ANYONE));
    }

    private static Route route(HandlerType method, String path, Handler handler, ApiRole... roles) {
        return operations(method, PREFIX + path, handler, roles);
    }

    /** A route outside {@link #PREFIX}, where monitoring tools expect it. */
    private static Route operations(HandlerType method, String path, Handler handler, ApiRole... roles) {
        return new Route(method, path, EnumSet.of(roles[0], roles), handler);
    }

    /** The limits and what is in use of them, on {@code /metrics}. */
    private void registerLimits(SeatFastPath fastPath, NetworkConnectionLimit connections, HeaderDeadline headers) {
        MeterRegistry registry = services.metrics();
        limit(registry, "connections", limits.maxConnections());
        limit(registry, "header_deadline_seconds", limits.headerDeadline().toMillis() / 1000.0);
        limit(registry, "requests_in_flight", limits.maxRequestsInFlight());
        limit(registry, "event_streams", limits.maxStreams());
        limit(registry, "event_streams_per_caller", limits.maxStreamsPerCaller());
        limit(registry, "password_checks", AccessService.MAX_CONCURRENT_VERIFICATIONS);
        Gauge.builder("innolicense.http.connections", connections, NetworkConnectionLimit::getNetworkConnectionCount)
                .description("Open TCP connections")
                .register(registry);
        Gauge.builder("innolicense.http.requests.in.flight", fastPath, SeatFastPath::requestsInFlight)
                .description("Requests that left the seat fast path and are running now")
                .register(registry);
        Gauge.builder("innolicense.events.streams", services.events(), LiveEvents::openStreams)
                .description("Live-event streams open now")
                .register(registry);
        Gauge.builder("innolicense.login.password.checks", services.access(), AccessService::passwordChecksInProgress)
                .description("Passwords being checked now")
                .register(registry);
        Gauge.builder("innolicense.login.locked", services.access(), AccessService::lockedLoginCounters)
                .description("Login throttle counters (user and address, or address) locked now")
                .register(registry);
        FunctionCounter.builder("innolicense.http.header.deadline.cut", headers, HeaderDeadline::cut)
                .description("Connections closed because a request's headers took longer than the deadline")
                .register(registry);
    }

    private static void limit(MeterRegistry registry, String name, double value) {
        Gauge.builder("innolicense.limit", () -> value)
                .tag("limit", name)
                .description("A bound the server keeps (docs/operations.md)")
                .register(registry);
    }

    private Set<ApiRole> roles(HandlerType method, String path) {
        return routes.stream()
                .filter(route -> route.method() == method && route.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no route " + method + " " + path))
                .roles();
    }

    /** Every route with its roles, in declaration order: those under {@link #PREFIX}, then metrics and health. */
    public List<Route> routes() {
        return routes;
    }

    /** A Javalin server (not started) listening on {@code host:port} and serving {@link #routes()}. */
    public Javalin create(String host, int port) {
        return Javalin.create(config -> configure(config, host, port));
    }

    private void configure(JavalinConfig config, String host, int port) {
        config.jetty.host = host;
        config.jetty.port = port;
        config.concurrency.useVirtualThreads = true;
        // Jetty's own threads (selectors, acceptor, scheduler) are platform threads; the seat calls are answered
        // on the selector threads and every other request on a virtual thread of its own (SeatFastPath)
        SeatFastPath fastPath = new SeatFastPath(
                services.seats(),
                services.access(),
                seats,
                json,
                problems,
                requestTimer,
                roles(HandlerType.PUT, PREFIX + "/seats/{agentId}"),
                roles(HandlerType.DELETE, PREFIX + "/seats/{agentId}"),
                services.metrics(),
                cookie,
                limits.maxRequestsInFlight());
        QueuedThreadPool jettyThreads = new SeatFastPath.ThreadPool(JETTY_MAX_THREADS, JETTY_MIN_THREADS);
        jettyThreads.setName("innolicense-jetty");
        config.jetty.threadPool = jettyThreads;
        config.jetty.modifyServer(server -> {
            server.insertHandler(fastPath);
            NetworkConnectionLimit connections = new NetworkConnectionLimit(limits.maxConnections(), server);
            server.addBean(connections);
            HeaderDeadline headers = new HeaderDeadline(server, limits.headerDeadline());
            server.addBean(headers);
            registerLimits(fastPath, connections, headers);
        });
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = Json.MAX_BODY_BYTES;
        config.http.defaultContentType = "application/json";
        config.router.ignoreTrailingSlashes = true;
        config.jsonMapper(new io.javalin.json.JavalinJackson(json.mapper(), true));
        new SecurityHeaders(cookie).register(config.routes);
        problems.register(config.routes);
        requestTimer.register(config.routes);
        config.routes.beforeMatched(authenticator::check);
        for (Route route : routes) {
            config.routes.addHttpHandler(
                    route.method(), route.path(), route.handler(), route.roles().toArray(ApiRole[]::new));
        }
        webUi.register(config);
    }
}
