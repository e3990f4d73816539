package com.anycontact.innolicense.server;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Argon2PasswordHasher;
import com.anycontact.innolicense.access.AuditSink;
import com.anycontact.innolicense.access.Bootstrap;
import com.anycontact.innolicense.access.InvalidInput;
import com.anycontact.innolicense.access.LoginThrottle;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.alert.AlertingAuditLog;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.cluster.ClockReading;
import com.anycontact.innolicense.cluster.ClockSkewGuard;
import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.cluster.ClusterBus;
import com.anycontact.innolicense.cluster.ClusterCoordinator;
import com.anycontact.innolicense.cluster.ClusterNode;
import com.anycontact.innolicense.cluster.ClusterStatus;
import com.anycontact.innolicense.cluster.DatabaseClock;
import com.anycontact.innolicense.http.ApiServices;
import com.anycontact.innolicense.http.HealthCheck;
import com.anycontact.innolicense.http.HttpApi;
import com.anycontact.innolicense.http.HttpLimits;
import com.anycontact.innolicense.http.LiveEvents;
import com.anycontact.innolicense.license.ClockJumpRecorder;
import com.anycontact.innolicense.license.IgnoredLicense;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.InstallationStore;
import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.license.LicenseStatus;
import com.anycontact.innolicense.license.LicenseStore;
import com.anycontact.innolicense.license.LicenseVerifier;
import com.anycontact.innolicense.license.LifecycleWatcher;
import com.anycontact.innolicense.license.TrustMode;
import com.anycontact.innolicense.license.TrustedClock;
import com.anycontact.innolicense.license.TrustedClock.Direction;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.TrustedTimeFloor;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.ObservedSeatStore;
import com.anycontact.innolicense.seat.Reaper;
import com.anycontact.innolicense.seat.SeatChange;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.seat.SeatReleases;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.time.SteadyClock;
import com.anycontact.innolicense.time.Ticker;
import com.anycontact.innolicense.usage.UsageReports;
import com.anycontact.innolicense.usage.UsageRollup;
import com.anycontact.innolicense.usage.UsageTracker;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The license server: its {@link Stores} (the SQLite database in the data directory, or the cluster database in
 * PostgreSQL with {@code --database}), the license service with its lifecycle watcher,
 * the seat ledger with its reaper, access control, and the HTTP API. {@link #open} wires everything and
 * {@link #start()} begins serving; {@link #close()} stops gracefully.
 *
 * <p>Time: {@link #open} is given the system clock and the monotonic {@link Ticker} (fakes moved by hand in
 * tests), and builds two clocks over them. The license clock, a {@link TrustedClock} started at the
 * anti-rollback floor ({@link TrustedTimeFloor}), dates the lifecycle, the usage minutes and the audit log; it
 * follows the system clock while that agrees with the ticker and continues on the ticker when the system clock
 * steps (audited once, shown in the status). Everything that measures a duration (lease expiry and the
 * reaper, the embedded server's browser sessions and login throttle, the token cache) reads a {@link SteadyClock}
 * anchored at trusted time at startup, which only the ticker moves, so a step of the system clock in either
 * direction neither reaps a renewing agent nor keeps a dead agent's seat. A cluster node's browser sessions and
 * login throttle, kept in the database and shared with the other nodes, read the trusted clock instead: a steady
 * clock anchored at each node's own start would drift apart from the other nodes'. Once a second, in real time, a scheduler runs {@link #tick()}: the
 * lifecycle watcher (state transitions, the persisted trusted-time mark) the reaper and the usage tracker's
 * flush; once a minute it drops ended browser sessions and old login-throttle counters. The same scheduler writes the audit event of a clock
 * jump, so that the thread that noticed it (a request thread, say) does not wait for the database. Tests call
 * {@link #tick()} themselves after moving their clock.
 *
 * <p>Seats and usage: the seat store is wrapped in an {@link ObservedSeatStore}, so every change of a seat,
 * whichever route or task made it, is reported to the {@link UsageTracker} (in memory, one write a minute) and
 * handed to the {@link LiveEvents} (never blocking); so is every change of the license state.
 *
 * <p>Cluster: on the cluster database, {@link ClusterEvents} tells the other nodes, over the {@link ClusterBus}
 * (PostgreSQL {@code LISTEN/NOTIFY}), of every seat change, applied key, revoked token and deleted user or changed
 * password made here, and applies theirs here, so that live events, the license in force and access are the
 * cluster's; the scheduler runs its safety-net check every {@link ClusterEvents#CHECK_EVERY}.
 *
 * <p>Readiness ({@code GET /health/ready}): the database answers a read of the seat table, and {@link #start()}
 * has finished and {@link #close()} not begun.
 */
public final class LicenseServer implements AutoCloseable {

    /** The release, as the node registry shows it. */
    public static final String VERSION = "0.1.0";

    /** The file in the data directory that a generated first-start password of {@code admin} is written to. */
    public static final String GENERATED_PASSWORD_FILE = "admin-password";

    /** How far the system clock may step from trusted time and still be followed; beyond, it is a jump. */
    static final Duration CLOCK_JUMP_TOLERANCE = Duration.ofMinutes(1);

    /** The source of the floor a cluster node's trusted time starts at when its system clock is far behind. */
    private static final String DATABASE_CLOCK = "the cluster database's clock";

    private static final Logger LOG = LoggerFactory.getLogger(LicenseServer.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration SESSION_PURGE = Duration.ofMinutes(1);

    /** How often the leader checks the cluster database's count of seats held ({@link Stores#repairSeatCount}). */
    static final Duration SEAT_COUNT_CHECK = Duration.ofMinutes(1);

    /** How many lease TTLs the seat store may be unable to write before {@code /health/live} fails. */
    static final int SEAT_OUTAGE_LIVENESS_TTLS = 2;

    /** Where archived audit events go, in the data directory. */
    static final String AUDIT_ARCHIVE = "audit-archive";

    private static final Duration RETENTION_FIRST = Duration.ofMinutes(5);
    private static final Duration RETENTION_EVERY = Duration.ofDays(1);
    /** On the cluster database retention runs on the leader, which may change: each node looks every hour. */
    private static final Duration CLUSTER_RETENTION_EVERY = Duration.ofHours(1);

    private static final ZoneId UTC = ZoneId.of("UTC");

    private final ServerConfig config;
    private final long openedAtNanos;
    private final Stores stores;
    private final AuditLog audit;
    private final TrustedClock trustedClock;
    private final SteadyClock steadyClock;
    private final LicenseService licenses;
    private final SeatLedger ledger;
    private final SeatReleases releases;
    private final Reaper reaper;
    private final LifecycleWatcher watcher;
    private final Sessions sessions;
    private final LoginThrottle loginThrottle;
    private final ServerMetrics metrics;
    private final HttpApi api;
    private final AccessService access;
    private final UsageTracker usage;
    private final UsageRollup rollup;
    private final LiveEvents events;
    private final ClusterBus bus;
    /** What this node tells the others and hears from them; null on the embedded database, which has no others. */
    private final ClusterEvents clusterEvents;

    private final ServerAlerts alerts;
    private final Javalin javalin;
    private final ScheduledExecutorService scheduler;
    private ScheduledExecutorService retentionRunner;
    private final Stores.Retention retention;
    private final Cluster cluster;
    private final boolean clustered;

    /** The addresses of the other nodes on development trust at the last tick (scheduler thread only). */
    private Set<String> developmentTrustElsewhere = Set.of();

    private Instant nextSeatCountCheck = Instant.MIN;
    private volatile int port = -1;
    private volatile boolean started;

    private LicenseServer(
            ServerConfig config,
            InstantSource clock,
            Ticker ticker,
            PrintStream console,
            List<VendorPublicKey> productionKeys,
            HttpLimits limits,
            UnaryOperator<SeatStore> seatStoreSeam) {
        this.config = config;
        this.openedAtNanos = System.nanoTime();
        this.stores = Stores.open(config);
        this.metrics = new ServerMetrics();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("innolicense-scheduler").daemon(true).factory());
        try {
            AlertingAuditLog alertingAudit = new AlertingAuditLog(stores.audit());
            this.audit = alertingAudit;
            this.retention = stores.retention();
            InstallationStore installations = stores.installation();
            LicenseStore licenseStore = stores.licenses();
            Duration maxClockOffset = config.cluster().maxClockOffset();
            Duration believedBehind =
                    maxClockOffset.compareTo(CLOCK_JUMP_TOLERANCE) > 0 ? maxClockOffset : CLOCK_JUMP_TOLERANCE;
            TrustedTimeFloor evidence = TrustedTimeFloor.of(installations, licenseStore, audit);
            // the witness read last, just before the clock starts, and carried on by the ticker to that start: a
            // seat clock that started even a few milliseconds behind the database's would end leases that early
            Optional<DatabaseWitness> witness =
                    stores.cluster().flatMap(ports -> DatabaseWitness.read(ports.clock(), clock, ticker));
            Instant ceiling = witness.filter(seen -> seen.systemOffset().compareTo(maxClockOffset) > 0)
                    .map(seen -> seen.databaseNow(ticker))
                    .orElse(Instant.MAX);
            TrustedTimeFloor floor = witness.filter(seen -> seen.systemOffset().compareTo(believedBehind.negated()) < 0)
                    .map(seen -> TrustedTimeFloor.newest(
                            List.of(evidence, new TrustedTimeFloor(seen.databaseNow(ticker), DATABASE_CLOCK))))
                    .orElse(evidence);
            this.trustedClock = new TrustedClock(
                    clock, ticker, floor.at(), ceiling, CLOCK_JUMP_TOLERANCE, new ClockJumpRecorder(audit, scheduler));
            InstantSource trustedTime = trustedClock;
            Instant startedAt = trustedClock.now();
            if (startedAt.equals(floor.at()) && !floor.equals(TrustedTimeFloor.NONE)) {
                LOG.info("trusted time starts at {}, set by {}", startedAt, floor.source());
            }
            boolean startedAtCeiling = trustedClock
                    .read()
                    .jump()
                    .filter(jump -> jump.direction() == Direction.FORWARD)
                    .isPresent();
            boolean startedAtDatabaseFloor = floor.source().equals(DATABASE_CLOCK);
            if (startedAtCeiling || startedAtDatabaseFloor) {
                LOG.warn(
                        "this node's system clock reads {}, more than {} the cluster database's clock, and is not"
                                + " believed: its trusted time and seat clock start at {}, near the database's (read in"
                                + " a round trip of {} µs), and go on by the monotonic clock until the system clock"
                                + " agrees; check NTP on this machine",
                        clock.instant(),
                        startedAtCeiling
                                ? Durations.format(CLOCK_JUMP_TOLERANCE) + " and the clock offset bound ahead of"
                                : Durations.format(believedBehind) + " behind",
                        startedAt,
                        witness.map(seen -> seen.reading().roundTrip().toNanos() / 1_000)
                                .orElse(-1L));
            }
            this.steadyClock = SteadyClock.anchoredAt(trustedClock, ticker);
            String nodeId = "node-"
                    + InstallationId.generate(new SecureRandom()).toString().substring(5, 14);
            this.clustered = stores.cluster().isPresent();
            TrustedKeys trustedKeys = trust(productionKeys, config.developmentTrust());
            this.cluster = stores.cluster()
                    .<Cluster>map(ports -> new ClusterCoordinator(
                            ports.registry(),
                            ports.clock(),
                            ports.lock(),
                            steadyClock,
                            clock,
                            nodeId,
                            this::advertisedAddress,
                            VERSION,
                            trustedKeys.mode(),
                            startedAt,
                            config.cluster().maxClockOffset()))
                    .orElseGet(() -> Cluster.single(
                            nodeId, this::advertisedAddress, VERSION, startedAt, trustedClock, trustedKeys.mode()));
            InstallationId installationId =
                    installations.installationId(() -> InstallationId.generate(new SecureRandom()));
            this.licenses = new LicenseService(
                    installationId, new LicenseVerifier(trustedKeys), licenseStore, trustedTime, audit);
            this.alerts = ServerAlerts.wire(stores.alerts(), alertingAudit, trustedClock, installationId);
            // A node that stopped serving while the cluster database was away (its clock unmeasured) measures it
            // as soon as the database answers again, not at its next tick up to a second later.
            stores.whenDatabaseAnswersAgain(() -> {
                try {
                    scheduler.execute(this::tickCluster);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the server is stopping
                }
            });
            SeatStore seatStore = stores.openSeats(steadyClock.instant(), config.leaseTtl(), cluster);
            this.usage = new UsageTracker(
                    stores.usage(),
                    trustedTime,
                    this::licenseZone,
                    seatStore.inUse(steadyClock.instant()),
                    licenses.status().capacity(),
                    config.retention().usage().minutes());
            this.rollup = new UsageRollup(
                    stores.usage(),
                    trustedTime,
                    this::licenseZone,
                    config.retention().usage());
            SeatStore deciding = seatStoreSeam.apply(metrics.metered(seatStore));
            this.ledger = new SeatLedger(
                    new ObservedSeatStore(
                            clustered ? new ClockSkewGuard(deciding, cluster) : deciding, this::seatChanged),
                    steadyClock,
                    () -> licenses.status().capacity(),
                    config.leaseTtl());
            usage.countHoldersFrom(() ->
                    ledger.leases().stream().map(lease -> lease.agent().value()).toList());
            if (clustered) {
                usage.recordPeaksWhen(cluster::leads);
            }
            metrics.gauges(licenses, ledger);
            metrics.cluster(cluster, clustered);
            this.releases = new SeatReleases(
                    stores.seatReleases(),
                    ledger,
                    (at, actor, type, detail) -> audit.record(at, actor, AuditEvent.Type.valueOf(type), detail),
                    trustedTime);
            releases.refresh();
            this.reaper = new Reaper(ledger, this::audited);
            this.watcher = new LifecycleWatcher(
                    licenses, installations, trustedClock, stores.lifecycleAudit(audit), this::stateChanged);
            this.loginThrottle = stores.loginThrottle(steadyClock, trustedTime);
            this.access = new AccessService(
                    stores.users(),
                    stores.tokens(),
                    new Argon2PasswordHasher(),
                    steadyClock,
                    auditSink(audit),
                    loginThrottle);
            switch (access.bootstrap(config.adminPassword(), config.bootstrapToken())) {
                case Bootstrap.Done done -> {
                    done.generatedPassword().ifPresent(password -> announceGeneratedPassword(password, console));
                    if (done.tokenCreated() && !done.adminCreated()) {
                        LOG.warn("created an admin API token named 'bootstrap' from INNOLICENSE_BOOTSTRAP_TOKEN on a"
                                + " later start (audited as TOKEN_CREATED by bootstrap): the recovery path; revoke"
                                + " it when done and unset the variable");
                    }
                }
                case InvalidInput invalid ->
                    throw new StartupRefused(settingOf(invalid.field()) + ": " + invalid.message());
            }
            this.sessions = stores.sessions(steadyClock, trustedTime);
            this.events = new LiveEvents(usage, sessions, access, limits);
            this.bus = stores.bus(installationId.toString(), trustedClock);
            if (config.database().isPresent()) {
                this.clusterEvents = new ClusterEvents(
                        bus, licenses, watcher, ledger, usage, events, access, sessions, audit, scheduler);
                metrics.clusterBus(clusterEvents);
            } else {
                this.clusterEvents = null;
            }
            this.api = new HttpApi(
                    new ApiServices(
                            licenses,
                            ledger,
                            access,
                            sessions,
                            audit,
                            trustedClock,
                            config.secureCookies(),
                            config.trustedProxies(),
                            metrics.registry(),
                            readiness(
                                    new HealthCheck("database", () -> ledger.inUse() >= 0),
                                    new HealthCheck("started", () -> started),
                                    new HealthCheck(
                                            "seat-writes",
                                            () -> stores.seatWritesUnavailableFor()
                                                    .isZero()),
                                    HealthCheck.liveness("seat-writes-within-bound", this::seatWritesWithinBound)),
                            usage,
                            new UsageReports(usage, stores.usage(), trustedTime),
                            events,
                            cluster,
                            clustered,
                            releases,
                            alerts.service()),
                    limits);
            this.javalin = api.create(config.host(), config.port());
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            metrics.close();
            stores.close();
            throw e;
        }
    }

    /**
     * Opens the data directory (creating and migrating the database when needed) and wires the server; it
     * does not listen yet.
     *
     * @param config the configuration
     * @param clock the system clock, {@link InstantSource#system()} in production
     * @param ticker the monotonic clock, {@link Ticker#system()} in production; a fake that tests move together
     *     with {@code clock} while time passes, and without it to step the system clock
     * @param console where a generated admin password is printed, once, at first start
     */
    public static LicenseServer open(ServerConfig config, InstantSource clock, Ticker ticker, PrintStream console) {
        return open(config, clock, ticker, console, BuiltInTrust.production(), config.limits());
    }

    /**
     * {@link #open(ServerConfig, InstantSource, Ticker, PrintStream)} with other production keys, for tests.
     */
    static LicenseServer open(
            ServerConfig config,
            InstantSource clock,
            Ticker ticker,
            PrintStream console,
            List<VendorPublicKey> productionKeys) {
        return open(config, clock, ticker, console, productionKeys, config.limits());
    }

    /** {@link #open(ServerConfig, InstantSource, Ticker, PrintStream)} within other limits, for tests. */
    static LicenseServer open(
            ServerConfig config, InstantSource clock, Ticker ticker, PrintStream console, HttpLimits limits) {
        return open(config, clock, ticker, console, BuiltInTrust.production(), limits);
    }

    private static LicenseServer open(
            ServerConfig config,
            InstantSource clock,
            Ticker ticker,
            PrintStream console,
            List<VendorPublicKey> productionKeys,
            HttpLimits limits) {
        return new LicenseServer(
                Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(ticker, "ticker"),
                Objects.requireNonNull(console, "console"),
                List.copyOf(productionKeys),
                Objects.requireNonNull(limits, "limits"),
                UnaryOperator.identity());
    }

    /**
     * Opens the server as {@link #open} does, with its seat store wrapped by {@code seatStoreSeam}: the one seam
     * for the fault-injection suite's self-test ({@code faults} module, {@code FaultTestServer}), which wires a
     * deliberately broken store to show that its history checker catches one. Package-private, so that only a
     * class in this package reaches it; the server itself never calls it with anything but the identity.
     */
    static LicenseServer openWithSeatStore(
            ServerConfig config, InstantSource clock, PrintStream console, UnaryOperator<SeatStore> seatStoreSeam) {
        return new LicenseServer(
                Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(clock, "clock"),
                Ticker.system(),
                Objects.requireNonNull(console, "console"),
                BuiltInTrust.production(),
                config.limits(),
                Objects.requireNonNull(seatStoreSeam, "seatStoreSeam"));
    }

    private static TrustedKeys trust(List<VendorPublicKey> production, List<VendorPublicKey> development) {
        try {
            return TrustedKeys.of(production, development);
        } catch (IllegalArgumentException e) {
            throw new StartupRefused(ServerConfigLoader.Setting.DEVELOPMENT_TRUST.fileKey() + ": " + e.getMessage());
        }
    }

    /**
     * Opens the server on the JVM's monotonic clock, {@link Ticker#system()}; as {@link #open(ServerConfig,
     * InstantSource, Ticker, PrintStream)}. Only for a real system clock: a fake {@code clock} that stands
     * still while the real ticker runs reads as a clock set back once a minute has passed.
     */
    public static LicenseServer open(ServerConfig config, InstantSource clock, PrintStream console) {
        return open(config, clock, Ticker.system(), console);
    }

    /**
     * Starts listening and the once-a-second scheduler, and logs the one startup line. After a crash, the restart
     * grace of the restored leases counts from here, not from when the seat store was opened ({@link
     * Stores#seatsAnswering}).
     *
     * @return the port bound, useful when the configured port is 0
     */
    public synchronized int start() {
        if (port >= 0) {
            return port;
        }
        stores.seatsAnswering(steadyClock.instant());
        tick();
        events.start();
        if (clusterEvents != null) {
            clusterEvents.start();
        }
        alerts.start();
        javalin.start();
        port = javalin.port();
        scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        if (clusterEvents != null) {
            scheduler.scheduleWithFixedDelay(
                    this::checkCluster,
                    ClusterEvents.CHECK_EVERY.toMillis(),
                    ClusterEvents.CHECK_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(
                this::purgeSessions, SESSION_PURGE.toMillis(), SESSION_PURGE.toMillis(), TimeUnit.MILLISECONDS);
        retentionRunner = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("innolicense-retention").daemon(true).factory());
        retentionRunner.scheduleWithFixedDelay(
                clustered ? this::applyRetentionWhenLeading : this::applyRetention,
                RETENTION_FIRST.toMillis(),
                (clustered ? CLUSTER_RETENTION_EVERY : RETENTION_EVERY).toMillis(),
                TimeUnit.MILLISECONDS);
        LicenseStatus status = licenses.status();
        long millis = (System.nanoTime() - openedAtNanos) / 1_000_000;
        TrustedKeys trust = licenses.trust();
        LOG.info(
                "innolicense server listening on {} (state {}, installation {}, capacity {}, lease TTL {},"
                        + " trust {}, {}, started in {} ms)",
                url(),
                status.state(),
                licenses.installationId(),
                status.capacity(),
                Durations.format(config.leaseTtl()),
                trust.mode(),
                stores.location(),
                millis);
        stores.warnings().forEach(warning -> LOG.warn("{}", warning));
        if (trust.mode() == TrustMode.DEVELOPMENT) {
            String keys = developmentKeyList(trust);
            LOG.warn(
                    "DEVELOPMENT TRUST: license keys signed with {} are accepted besides the vendor's; this"
                            + " installation is for development or evaluation only (--development-trust)",
                    keys);
            audit.record(
                    trustedClock.now(),
                    AuditEvent.SYSTEM,
                    AuditEvent.Type.DEVELOPMENT_TRUST,
                    "started on development trust: license keys signed with " + keys
                            + " are accepted besides the vendor's production keys");
        }
        for (IgnoredLicense ignored : licenses.ignored()) {
            LOG.warn(
                    "stored license {} (serial {}) is ignored: {}: {}",
                    ignored.licenseId(),
                    ignored.serial(),
                    ignored.reason(),
                    ignored.message());
        }
        started = true;
        return port;
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080}; a wildcard host is shown as localhost. */
    public String url() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + (port >= 0 ? port : config.port());
    }

    /** The installation ID, generated at first start and kept in the database. */
    public InstallationId installationId() {
        return licenses.installationId();
    }

    /**
     * The cluster database's clock read once as the node starts, a witness for where its trusted time starts:
     * when the system clock reads beyond the clock offset bound <em>ahead</em> of the database's, the database's
     * clock is the latest instant the system clock is believed at (the trusted clock's ceiling); when it reads
     * more than both that bound and {@link #CLOCK_JUMP_TOLERANCE} <em>behind</em> (beyond which a step is not
     * believed either), the database's clock is one more piece of evidence for the floor. A node that started
     * with its clock far ahead would otherwise date its audit entries and applied keys ahead, and the newest of
     * those is evidence every node's trusted time starts from at its next restart ({@link TrustedTimeFloor}):
     * one node booted a year ahead would put the whole cluster's license a year on. A node that started far
     * behind (a dead battery, a virtual machine restored from an old snapshot) would start at the floor, which
     * after a time with no node running is as old as that time: it would date its writes that far back and
     * refuse every seat call until its clock was set right, or, as the first node of a new cluster, with no
     * evidence at all, believe its clock and keep its license clock that far behind for good, since a step
     * forward is not believed. The database's clock is the one every node's seat clock must agree with anyway,
     * and the trusted clock's tolerance still lets a system clock up to {@link #CLOCK_JUMP_TOLERANCE} ahead of
     * it be followed (such a node then refuses seat calls until its clock is set right, as before), as it lets
     * one less than that behind start on its own clock or the floor. Moving the start forward to the database's
     * clock gives nobody more time on a license, and the ceiling never lowers it below the floor. The reading is
     * carried on by the ticker to the instant the clock starts. When the database's clock cannot be read, there
     * is no witness.
     */
    record DatabaseWitness(ClockReading reading, long answeredTicks) {

        /** How many readings a witness takes at most, keeping the one of the shortest round trip. */
        static final int READINGS = 5;

        /** A round trip short enough to stop at: the reading's middle is then within 0.25 ms of the truth. */
        static final Duration TIGHT = Duration.ofNanos(500_000);

        /**
         * Reads the database's clock until a round trip is {@link #TIGHT}, at most {@link #READINGS} times, and
         * keeps the reading of the shortest: the first queries of a process that has just started are slowed by its
         * loading and compiling, more one way than the other, which the middle of the round trip cannot tell. A
         * failed reading ends the readings; those had before it stand.
         */
        static Optional<DatabaseWitness> read(DatabaseClock database, InstantSource clock, Ticker ticker) {
            DatabaseWitness best = null;
            for (int i = 0; i < READINGS; i++) {
                ClockReading reading;
                try {
                    reading = database.read(clock);
                } catch (RuntimeException e) {
                    if (best == null) {
                        LOG.warn(
                                "could not read the cluster database's clock at start ({}); trusted time starts at"
                                        + " the system clock",
                                e.getMessage());
                    }
                    break; // a reading already had stands
                }
                DatabaseWitness witness = new DatabaseWitness(reading, ticker.nanos());
                if (best == null || reading.roundTrip().compareTo(best.reading().roundTrip()) < 0) {
                    best = witness;
                }
                if (best.reading().roundTrip().compareTo(TIGHT) <= 0) {
                    break;
                }
            }
            return Optional.ofNullable(best);
        }

        /** The node's system clock minus the database's: positive ahead. */
        Duration systemOffset() {
            return reading.offset();
        }

        /**
         * The database's clock now: as it was when its answer arrived (taken as read in the middle of the round
         * trip), plus the time the ticker has counted since.
         */
        Instant databaseNow(Ticker ticker) {
            return reading.database().plus(reading.roundTrip().dividedBy(2)).plusNanos(ticker.nanos() - answeredTicks);
        }
    }

    /** The cluster's tick (clock measured, leadership kept or sought, heartbeat), a failure logged. */
    private void tickCluster() {
        try {
            cluster.tick();
        } catch (RuntimeException e) {
            warnUnlessOutage("the cluster heartbeat failed; will try again in a second", e);
        }
    }

    /**
     * Runs the periodic work once: the cluster's tick (clock measured, leadership kept or sought, heartbeat), the
     * lifecycle watcher, the reaper, the usage tracker's flush, then the live events' check that every stream's
     * session or token still lasts. On the cluster database the singleton work (the lifecycle's audit and the
     * trusted-time mark, reaping, the usage minutes' peaks) is done only while this node leads, and every node
     * reads the live leases from the database, so that its own use and peaks follow the other nodes' claims; the
     * leader also checks the node registry for missing nodes (the alerts).
     * Each failure is logged and does not stop the others. The scheduler calls this once a second; tests call it
     * after moving their clock.
     */
    void tick() {
        tickCluster();
        boolean leads = cluster.leads();
        try {
            watcher.tick(leads);
        } catch (RuntimeException e) {
            warnUnlessOutage("the license lifecycle check failed; will try again in a second", e);
        }
        if (leads) {
            try {
                reaper.reap();
            } catch (RuntimeException e) {
                warnUnlessOutage("reaping expired leases failed; will try again in a second", e);
            }
            checkSeatCount();
        }
        if (clustered) {
            try {
                usage.changed(ledger.inUse(), licenses.status().capacity());
            } catch (RuntimeException e) {
                LOG.warn("reading the live leases failed; will try again in a second: {}", e.getMessage());
            }
        }
        try {
            releases.refresh();
        } catch (RuntimeException e) {
            warnUnlessOutage("reading the force-releases in force failed; will try again in a second", e);
        }
        try {
            alerts.tick(licenses.status(), ledger.inUse());
        } catch (RuntimeException e) {
            warnUnlessOutage("checking the alert rules failed; will try again in a second", e);
        }
        if (clustered) {
            boolean production = licenses.trust().mode() == TrustMode.PRODUCTION;
            // One read of the registry for both; unreadable, it lists no node, not even this one (never throws).
            ClusterStatus status = leads || production ? cluster.status() : null;
            if (production && !status.nodes().isEmpty()) {
                try {
                    noticeDevelopmentTrustElsewhere(status);
                } catch (RuntimeException e) {
                    warnUnlessOutage("telling the dashboards of a node on development trust failed", e);
                }
            }
            try {
                alerts.checkNodes(leads, leads ? status.nodes() : List.of());
            } catch (RuntimeException e) {
                warnUnlessOutage("checking the cluster's nodes for the alerts failed; will try again in a second", e);
            }
        }
        try {
            usage.flush();
        } catch (RuntimeException e) {
            warnUnlessOutage("saving the usage of the last minute failed; will try again in a second", e);
        }
        if (leads) {
            try {
                rollup.run();
            } catch (RuntimeException e) {
                warnUnlessOutage("rolling up the usage of the last day failed; will try again in a second", e);
            }
        }
        try {
            events.recheck();
        } catch (RuntimeException e) {
            warnUnlessOutage("checking the live-event streams' access failed; will try again in a second", e);
        }
    }

    private static void warnUnlessOutage(String message, RuntimeException failure) {
        PeriodicFailures.warnUnlessOutage(LOG, message, failure);
    }

    /**
     * Deletes the denials older than the denial retention, the alerts and delivery log older than the alert
     * retention (but for deliveries still being retried and the newest alert of each rule) and, when an audit
     * retention is set, archives the audit events older than it to {@code audit-archive/} in the data directory
     * and removes them. Runs once a day on a thread of its own, never on a request's path; a failure is logged and
     * the next day tries again.
     */
    void applyRetention() {
        Instant now = trustedClock.instant();
        ServerConfig.Retention retention = config.retention();
        try {
            long deleted = this.retention.purgeDenials(now.minus(retention.denials()));
            if (deleted > 0) {
                LOG.info("deleted {} denials older than {}", deleted, Durations.format(retention.denials()));
            }
        } catch (RuntimeException e) {
            LOG.warn("deleting old denials failed; will try again tomorrow", e);
        }
        try {
            AlertStore.Pruned pruned = stores.alerts().prune(now.minus(retention.alerts()));
            if (pruned.any()) {
                LOG.info(
                        "deleted {} alerts, {} deliveries and {} delivery log entries older than {}",
                        pruned.alerts(),
                        pruned.deliveries(),
                        pruned.attempts(),
                        Durations.format(retention.alerts()));
            }
        } catch (RuntimeException e) {
            LOG.warn("deleting old alerts failed; will try again tomorrow", e);
        }
        retention.audit().ifPresent(keep -> {
            try {
                this.retention
                        .archiveAudit(now.minus(keep), config.dataDirectory().resolve(AUDIT_ARCHIVE))
                        .ifPresent(file ->
                                LOG.info("archived audit events older than {} to {}", Durations.format(keep), file));
            } catch (RuntimeException e) {
                LOG.warn("archiving old audit events failed; nothing was removed; will try again tomorrow", e);
            }
        });
    }

    /**
     * The cluster's safety net for lost notifications: reads the licenses and counts the live leases again; the
     * scheduler calls this every {@link ClusterEvents#CHECK_EVERY} on a cluster database.
     */
    void checkCluster() {
        if (clusterEvents == null) {
            return;
        }
        try {
            clusterEvents.check();
        } catch (RuntimeException e) {
            LOG.warn("checking the cluster's shared state failed; will try again", e);
        }
    }

    /**
     * {@link #applyRetention()} when this node leads the cluster: retention is singleton work. Each node looks
     * every hour, so a new leader takes it over within the hour; deleting and archiving again soon after another
     * leader did finds little to do (the archive's mark moves forward only, from the value read).
     */
    void applyRetentionWhenLeading() {
        if (cluster.leads()) {
            applyRetention();
        }
    }

    /**
     * The readiness checks: those given, and on the cluster database {@code clock}, down while this node refuses
     * seat calls because its clock is not known to agree with the database's.
     */
    private List<HealthCheck> readiness(HealthCheck... checks) {
        List<HealthCheck> all = new java.util.ArrayList<>(List.of(checks));
        if (clustered) {
            all.add(new HealthCheck("clock", () -> cluster.seatRefusal().isEmpty()));
        }
        return all;
    }

    /** This node in the cluster: whether it leads and serves, and the nodes it sees; for tests. */
    Cluster cluster() {
        return cluster;
    }

    /**
     * Where this node is reached, for the node registry: {@code --advertise-url}, else the URL it listens on, with
     * this machine's host name for a wildcard address.
     */
    String advertisedAddress() {
        return config.cluster().advertiseUrl().map(Object::toString).orElseGet(() -> {
            String host = config.host();
            if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    host = "localhost";
                }
                return "http://" + host + ":" + (port >= 0 ? port : config.port());
            }
            return url();
        });
    }

    /**
     * Drops the browser sessions that ended and the login throttle's counters it no longer heeds; the scheduler
     * calls this once a minute (on every node of a cluster: the deletes are idempotent).
     */
    void purgeSessions() {
        try {
            sessions.purgeExpired();
            loginThrottle.forgetOld();
        } catch (RuntimeException e) {
            LOG.warn("purging ended sessions and old login failures failed; will try again in a minute", e);
        }
    }

    /** The routes served, for tests. */
    List<HttpApi.Route> routes() {
        return api.routes();
    }

    /** Access control, for tests. */
    AccessService access() {
        return access;
    }

    /** Trusted now, the license clock that dates what this node writes, for tests. */
    Instant trustedNow() {
        return trustedClock.now();
    }

    /**
     * Stops the background alert delivery, for tests that deliver by hand with {@link #deliverAlerts()} and count
     * what each call sent (otherwise the background thread may take a delivery first).
     */
    void stopBackgroundAlertDelivery() {
        alerts.close();
    }

    /** Sends the alert deliveries due now, on the calling thread, for tests. */
    int deliverAlerts() {
        return alerts.deliverDue();
    }

    /** The live events, for tests. */
    LiveEvents events() {
        return events;
    }

    /**
     * Whether the seat store has been unable to write for less than {@link #SEAT_OUTAGE_LIVENESS_TTLS} lease TTLs:
     * beyond that, {@code /health/live} fails so that a supervisor restarts the process (a restart replays the
     * journal; nothing acked is lost), since a cause that lasts that long is unlikely to go away by itself and
     * agents whose renewals are answered meanwhile keep their seats, but no new agent gets one.
     */
    private boolean seatWritesWithinBound() {
        return stores.seatWritesUnavailableFor().compareTo(config.leaseTtl().multipliedBy(SEAT_OUTAGE_LIVENESS_TTLS))
                < 0;
    }

    /** Closes the cluster bus, for tests: a node whose messages to the other nodes are lost. */
    void closeBusForTest() {
        bus.close();
    }

    /** The seat ledger, for tests that need many leases faster than HTTP gives them. */
    SeatLedger ledger() {
        return ledger;
    }

    /** The audit log, for tests. */
    AuditLog audit() {
        return audit;
    }

    /**
     * Waits until the audit writes handed to the scheduler so far (a clock jump's) are done, for tests; the
     * scheduler runs one task at a time, in order.
     */
    void awaitAuditWrites() {
        try {
            scheduler.submit(() -> {}).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the scheduler did not run a task within 5 s", e);
        }
    }

    /** Stops listening (requests in progress complete), stops the scheduler and closes the database. */
    @Override
    public synchronized void close() {
        started = false;
        try {
            events.closeAll();
            javalin.stop();
        } finally {
            bus.close();
            if (retentionRunner != null) {
                retentionRunner.shutdownNow();
            }
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("the scheduler did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.close();
            alerts.close();
            try {
                usage.close();
            } catch (RuntimeException e) {
                LOG.warn("saving the usage of the current minute at shutdown failed", e);
            }
            try {
                cluster.close();
            } catch (RuntimeException e) {
                LOG.warn("leaving the cluster failed", e);
            }
            metrics.close();
            stores.close();
            if (port >= 0) {
                LOG.info("innolicense server on port {} stopped", port);
            }
        }
    }

    /**
     * Writes the generated password of {@code admin} to {@link #GENERATED_PASSWORD_FILE} in the data directory,
     * readable only by the owner, and says where on the console; the password itself goes to no log. Only when
     * the file cannot be written is the password printed instead, since it would be lost otherwise.
     */
    private void announceGeneratedPassword(String password, PrintStream console) {
        Path file = config.dataDirectory().resolve(GENERATED_PASSWORD_FILE).toAbsolutePath();
        try {
            Files.deleteIfExists(file);
            PrivateFiles.writeNew(file, password + System.lineSeparator());
            console.println("Created user 'admin' with a generated password, written to " + file
                    + " (readable only by this user). Sign in as admin, change the password, then delete the file."
                    + " Set " + ServerConfigLoader.Setting.ADMIN_PASSWORD.variable() + "_FILE before the first"
                    + " start to choose it.");
        } catch (IOException e) {
            console.println("Created user 'admin' with the password " + password + " (shown only this once: " + file
                    + " could not be written: " + e.getMessage() + ")");
        }
    }

    private static String developmentKeyList(TrustedKeys trust) {
        return trust.keys().stream()
                .filter(key -> trust.isDevelopment(key.keyId()))
                .map(key -> key.keyId() + " (" + key.fingerprint() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Access control's audit events, recorded in the audit log under the type of the same name. */
    public static AuditSink auditSink(AuditLog audit) {
        return (at, actor, type, detail) -> audit.record(at, actor, AuditEvent.Type.valueOf(type), detail);
    }

    private static String settingOf(String field) {
        return switch (field) {
            case "adminPassword" -> ServerConfigLoader.Setting.ADMIN_PASSWORD.variable();
            case "bootstrapToken" -> ServerConfigLoader.Setting.BOOTSTRAP_TOKEN.variable();
            default -> field;
        };
    }

    /**
     * Once a {@link #SEAT_COUNT_CHECK}, on the leader: repairs the count of seats held where it disagrees with the
     * leases, and audits what was found ({@code SEAT_COUNT_REPAIRED}) — someone changed the cluster database to be
     * granted seats beyond the license.
     */
    private void checkSeatCount() {
        Instant now = steadyClock.instant();
        if (now.isBefore(nextSeatCountCheck)) {
            return;
        }
        nextSeatCountCheck = now.plus(SEAT_COUNT_CHECK);
        try {
            stores.repairSeatCount().ifPresent(finding -> {
                LOG.error("the count of seats held was changed outside innolicense: {}", finding);
                audit.record(trustedClock.now(), AuditEvent.SYSTEM, AuditEvent.Type.SEAT_COUNT_REPAIRED, finding);
            });
        } catch (RuntimeException e) {
            warnUnlessOutage("checking the count of seats held failed; will try again in a minute", e);
        }
    }

    private void audited(List<Lease> reaped) {
        String agents = reaped.stream().map(lease -> lease.agent().value()).collect(Collectors.joining(", "));
        Instant at = trustedClock.now();
        audit.record(at, AuditEvent.SYSTEM, AuditEvent.Type.LEASES_REAPED, reaped.size() + " expired: " + agents);
    }

    private void seatChanged(SeatChange change) {
        switch (change) {
            case SeatChange.Claimed claimed ->
                usage.claimed(claimed.lease().agent().value(), claimed.inUse(), claimed.capacity());
            case SeatChange.Denied denied -> {
                usage.denied(denied.agent().value(), denied.inUse(), denied.capacity());
                alerts.denied(denied);
            }
            case SeatChange.CapacityReduced reduced -> usage.changed(reduced.inUse(), reduced.capacity());
            case SeatChange.Released released ->
                usage.changed(released.inUse(), licenses.status().capacity());
            case SeatChange.Reaped reaped ->
                usage.changed(reaped.inUse(), licenses.status().capacity());
        }
        events.seatChanged(change);
        if (clusterEvents != null) {
            clusterEvents.seatChanged(change);
        }
    }

    private ZoneId licenseZone() {
        LicenseStatus status = licenses.status();
        return status.current()
                .or(status::pending)
                .map(license -> license.startZoned().getZone())
                .orElse(UTC);
    }

    /**
     * On a node on production trust, from the registry as read at this tick: when the other nodes on development
     * trust change (one starts, stops, or is dropped from the registry), logs the ones that appeared and sends the
     * license state to the live streams again, so that the dashboards' state banner shows or drops the {@code
     * DEVELOPMENT_TRUST_IN_CLUSTER} warning without a reload (docs/trust.md).
     */
    private void noticeDevelopmentTrustElsewhere(ClusterStatus status) {
        Set<String> now = status.othersOnDevelopmentTrust().stream()
                .map(ClusterNode::address)
                .collect(Collectors.toUnmodifiableSet());
        if (now.equals(developmentTrustElsewhere)) {
            return;
        }
        if (!developmentTrustElsewhere.containsAll(now)) { // one appeared, not only one gone
            status.developmentTrustWarning()
                    .ifPresent(warning -> LOG.warn("DEVELOPMENT TRUST in the cluster: {} (docs/trust.md)", warning));
        }
        developmentTrustElsewhere = now;
        events.stateChanged(licenses.status());
    }

    private void stateChanged(LicenseStatus status) {
        usage.changed(ledger.inUse(), status.capacity());
        events.stateChanged(status);
        LOG.info(
                "license state now {} (capacity {}, installation {})",
                status.state(),
                status.capacity(),
                licenses.installationId());
    }
}
