package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.demo.Demo;
import com.anycontact.innolicense.demo.DemoSetupFailed;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.Logging;
import com.anycontact.innolicense.server.ServerConfig;
import com.anycontact.innolicense.server.ServerConfigLoader;
import com.anycontact.innolicense.server.ServerConfigLoader.Setting;
import com.anycontact.innolicense.server.StartupRefused;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import com.anycontact.innolicense.time.Ticker;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code innolicense server}: runs the license server until the process is stopped. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the license server: the seat API for ACD nodes and the AC Admin API, on one port, with its"
                    + " data (license, leases, users, tokens, audit log) in an SQLite file in the data directory,"
                    + " or with --database in a PostgreSQL database that several server nodes share (see"
                    + " docs/cluster.md).",
            "",
            "Each setting comes from its flag, else its environment variable, else the --config file (Java"
                    + " properties: port=8080, lease-ttl=60s), else its default. Environment:"
                    + " INNOLICENSE_HOST, INNOLICENSE_PORT, INNOLICENSE_DATA_DIR, INNOLICENSE_DEVELOPMENT_TRUST (files"
                    + " separated by , or :), INNOLICENSE_LEASE_TTL, INNOLICENSE_SECURE_COOKIES,"
                    + " INNOLICENSE_DENIAL_RETENTION, INNOLICENSE_AUDIT_RETENTION, INNOLICENSE_ALERT_RETENTION,"
                    + " INNOLICENSE_USAGE_MINUTE_RETENTION, INNOLICENSE_USAGE_DAY_RETENTION,"
                    + " INNOLICENSE_USAGE_MONTH_RETENTION,"
                    + " INNOLICENSE_TRUSTED_PROXY (blocks"
                    + " separated by ,), INNOLICENSE_DATABASE_URL, INNOLICENSE_DATABASE_PASSWORD (the database's"
                    + " password, kept out of the URL), INNOLICENSE_ADVERTISE_URL, INNOLICENSE_MAX_CLOCK_OFFSET, INNOLICENSE_LOG_FORMAT, INNOLICENSE_LOG_FILE,"
                    + " INNOLICENSE_LOG_LEVEL, INNOLICENSE_MAX_CONNECTIONS, INNOLICENSE_HEADER_DEADLINE,"
                    + " INNOLICENSE_MAX_REQUESTS_IN_FLIGHT, INNOLICENSE_MAX_EVENT_STREAMS,"
                    + " INNOLICENSE_MAX_EVENT_STREAMS_PER_CALLER, and for the first start only INNOLICENSE_ADMIN_PASSWORD (else a"
                    + " password is generated and written to the file admin-password in the data directory) and"
                    + " INNOLICENSE_BOOTSTRAP_TOKEN (an admin API token with that value; set on a later start, it"
                    + " creates the token then: a way back in, audited), each secret also as INNOLICENSE_…_FILE"
                    + " naming a file that holds it.",
            "",
            "License keys are accepted when signed with one of the vendor's production keys, which are built"
                    + " into the server. --development-trust adds keys of your own for development or evaluation;"
                    + " the server then says everywhere that it runs on development trust (docs/trust.md).",
            "",
            "With --demo: a throwaway server to look at, see docs/simulator.md.",
            "",
            "Stops gracefully on SIGINT or SIGTERM (Ctrl-C) and then exits 0. A start that fails leaves a new"
                    + " data directory as it was before: not there, or without a database."
        })
final class ServerCommand implements Callable<Integer> {

    private final CliIo io;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with settings.")
    Path config;

    @Option(names = "--host", paramLabel = "HOST", description = "The address to listen on (default: 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "The TCP port; 0 for any free one (default: 8080).")
    String port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory (default: ./data).")
    String dataDir;

    @Option(
            names = "--development-trust",
            paramLabel = "PEM",
            description = "For development or evaluation only: also accept license keys signed with this vendor"
                    + " public key file (vendor-public-key.pem); repeat for several. The server is then marked as"
                    + " running on development trust in its log, status, AC Admin, dashboard, metrics and audit log.")
    List<String> developmentTrust = new ArrayList<>();

    /** The retired option {@code --trust}: refused with what to use instead. */
    @Option(names = "--trust", paramLabel = "PEM", hidden = true)
    List<String> retiredTrust = new ArrayList<>();

    @Option(
            names = "--lease-ttl",
            paramLabel = "DURATION",
            description = "How long a claim or renewal holds a seat: 60s, 2m, PT90S (default: 60s).")
    String leaseTtl;

    @Option(
            names = "--denial-retention",
            paramLabel = "DURATION",
            description = "How long recorded denials are kept; older ones are deleted once a day (default: 400d).")
    String denialRetention;

    @Option(
            names = "--audit-retention",
            paramLabel = "DURATION|off",
            description = "How long audit events stay in the database; older ones are archived once a day to"
                    + " audit-archive/*.jsonl in the data directory and removed (default: off, keep them all).")
    String auditRetention;

    @Option(
            names = "--alert-retention",
            paramLabel = "DURATION",
            description = "How long alerts and their delivery log are kept; older ones are deleted once a day,"
                    + " except deliveries still being retried and the newest alert of each rule (default: 90d).")
    String alertRetention;

    @Option(
            names = "--usage-minute-retention",
            paramLabel = "DURATION",
            description = "How long the per-minute usage record is kept (the dashboard's history, the heatmap and"
                    + " the right-size advice read it; at least 1d; default: 90d).")
    String usageMinuteRetention;

    @Option(
            names = "--usage-day-retention",
            paramLabel = "DURATION",
            description = "How long the daily usage aggregates are kept (at least the minute retention; default:"
                    + " 1110d).")
    String usageDayRetention;

    @Option(
            names = "--usage-month-retention",
            paramLabel = "DURATION",
            description = "How long the monthly usage aggregates are kept (at least the minute retention; default:"
                    + " 3660d).")
    String usageMonthRetention;

    @Option(
            names = "--demo",
            description = "Run a throwaway demo: a temporary data directory (unless --data-dir), a sample license"
                    + " signed by an in-memory vendor key, and " + Demo.AGENTS + " simulated agents; prints the URL"
                    + " and the admin password.")
    boolean demo;

    @Option(
            names = "--database",
            paramLabel = "URL",
            description = "Keep all data in this PostgreSQL database, shared by several server nodes, instead of"
                    + " the data directory: postgresql://USER@HOST:5432/DATABASE or jdbc:postgresql://…; the password"
                    + " in the URL or in INNOLICENSE_DATABASE_PASSWORD.")
    String database;

    @Option(
            names = "--advertise-url",
            paramLabel = "URL",
            description = "With --database: where this node is reached, shown in the node registry"
                    + " (/health/ready, AC Admin), e.g. http://node-a.example.com:8080; default: this machine's"
                    + " host name and the port.")
    String advertiseUrl;

    @Option(
            names = "--max-clock-offset",
            paramLabel = "DURATION",
            description = "With --database: how far this node's clock may be from the database's before it"
                    + " refuses seat calls (503 clock-skewed) and stops leading; 100ms to 30s, default 2s.")
    String maxClockOffset;

    @Option(
            names = "--trusted-proxy",
            paramLabel = "CIDR",
            description = "A reverse proxy (address or CIDR block, e.g. 10.0.0.0/8) whose Forwarded or"
                    + " X-Forwarded-For/-Proto headers are believed for the client's address and HTTPS; repeat for"
                    + " several. From any other peer those headers are ignored.")
    List<String> trustedProxy = new ArrayList<>();

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description =
                    "Open TCP connections at most; beyond, new ones wait in the kernel's backlog (default: 1000).")
    String maxConnections;

    @Option(
            names = "--header-deadline",
            paramLabel = "DURATION",
            description = "How long a request's line and headers may take once their first byte arrived; a slower"
                    + " client is disconnected (default: 10s).")
    String headerDeadline;

    @Option(
            names = "--max-requests-in-flight",
            paramLabel = "N",
            description = "Requests off the seat fast path (AC Admin, event streams, …) running at once; beyond,"
                    + " 503 server-busy (default: 256).")
    String maxRequestsInFlight;

    @Option(
            names = "--max-event-streams",
            paramLabel = "N",
            description = "Live-event streams open in total; below --max-requests-in-flight (default: 100).")
    String maxEventStreams;

    @Option(
            names = "--max-event-streams-per-caller",
            paramLabel = "N",
            description = "Live-event streams one session or API token may have open (default: 5).")
    String maxEventStreamsPerCaller;

    @Option(
            names = "--secure-cookies",
            description = "Mark the session cookie Secure: set it when clients reach the server over HTTPS.")
    boolean secureCookies;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per line, for log shippers.")
    String logFormat;

    @Option(
            names = "--log-file",
            paramLabel = "FILE",
            description = "Log to this file instead of standard error; rotated daily and at 10 MB, 14 days kept.")
    String logFile;

    @Option(
            names = "--log-level",
            paramLabel = "AREA=LEVEL",
            description = "The level of an area (a logger name, or root), e.g. com.anycontact.innolicense.seat=debug;"
                    + " repeat for several.")
    List<String> logLevels = new ArrayList<>();

    ServerCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (!retiredTrust.isEmpty()) {
            throw new CommandFailure(
                    ExitCode.USAGE,
                    "--trust is no longer accepted: "
                            + ServerConfigLoader.RETIRED_TRUST_ADVICE.formatted("--development-trust PEM"));
        }
        ServerConfig serverConfig =
                switch (ServerConfigLoader.load(flags(), io.env().variables(), Optional.ofNullable(config))) {
                    case ServerConfigLoader.Result.Loaded loaded -> {
                        Logging.apply(loaded.logging());
                        yield loaded.config();
                    }
                    case ServerConfigLoader.Result.Invalid invalid -> {
                        invalid.problems().forEach(problem -> io.err().println("error: " + problem));
                        yield null;
                    }
                };
        if (serverConfig == null) {
            return ExitCode.USAGE;
        }
        if (demo && serverConfig.database().isPresent()) {
            throw new CommandFailure(
                    ExitCode.USAGE,
                    "--demo runs on a throwaway data directory and does not take a cluster database; leave out"
                            + " --database (or " + Setting.DATABASE.variable() + ")");
        }
        Optional<Demo> demoRun;
        try {
            demoRun = demo
                    ? Optional.of(Demo.prepare(serverConfig, dataDir != null, Clock.systemDefaultZone()))
                    : Optional.empty();
        } catch (StartupRefused e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage());
        }
        if (demoRun.isPresent()) {
            serverConfig = demoRun.get().config();
        }
        NewDataDirectory created = NewDataDirectory.before(serverConfig.dataDirectory());
        LicenseServer server;
        try {
            checkPortFree(serverConfig);
            server = open(serverConfig);
        } catch (RuntimeException e) {
            created.undo();
            demoRun.ifPresent(Demo::deleteData);
            throw e;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                demoRun.ifPresent(Demo::stopAgents);
                server.close();
                demoRun.ifPresent(Demo::deleteData);
            }
        };
        Runtime.getRuntime()
                .addShutdownHook(
                        Thread.ofPlatform().name("innolicense-shutdown").unstarted(stop));
        StopSignals.onStop(stopRequested::countDown); // before listening: a stop as soon as it is up still exits 0
        try {
            server.start();
            demoRun.ifPresent(run -> run.begin(server, io.out(), io.err()));
        } catch (JavalinBindException e) {
            stop.run();
            created.undo();
            throw portTaken(serverConfig);
        } catch (DemoSetupFailed e) {
            stop.run();
            created.undo();
            throw CommandFailure.error(e.getMessage());
        }
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
        return ExitCode.OK;
    }

    /**
     * Refuses a port that another process listens on before anything is written to the data directory, so that
     * a start that cannot listen leaves nothing behind and logs nothing but its one line. (The bind at start
     * stays the real test: another process may take the port in between, which is handled the same way.)
     */
    private static void checkPortFree(ServerConfig serverConfig) {
        if (serverConfig.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(serverConfig.host(), serverConfig.port()));
        } catch (IOException | RuntimeException e) {
            throw portTaken(serverConfig);
        }
    }

    private static CommandFailure portTaken(ServerConfig serverConfig) {
        return CommandFailure.error("cannot listen on " + serverConfig.host() + ":" + serverConfig.port()
                + ": the port is in use or not allowed; choose another with --port");
    }

    private LicenseServer open(ServerConfig serverConfig) {
        try {
            return LicenseServer.open(serverConfig, InstantSource.system(), Ticker.system(), io.out());
        } catch (StartupRefused e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage());
        } catch (StoreException e) {
            throw CommandFailure.error(e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
        } catch (DatabaseUnreachableException | StoreUnavailableException e) {
            throw CommandFailure.error(e.getMessage());
        }
    }

    private Map<Setting, List<String>> flags() {
        Map<Setting, List<String>> flags = new EnumMap<>(Setting.class);
        put(flags, Setting.HOST, host);
        put(flags, Setting.PORT, port);
        put(flags, Setting.DATA_DIR, dataDir);
        put(flags, Setting.LEASE_TTL, leaseTtl);
        put(flags, Setting.DENIAL_RETENTION, denialRetention);
        put(flags, Setting.AUDIT_RETENTION, auditRetention);
        put(flags, Setting.ALERT_RETENTION, alertRetention);
        put(flags, Setting.USAGE_MINUTE_RETENTION, usageMinuteRetention);
        put(flags, Setting.USAGE_DAY_RETENTION, usageDayRetention);
        put(flags, Setting.USAGE_MONTH_RETENTION, usageMonthRetention);
        put(flags, Setting.DATABASE, database);
        put(flags, Setting.MAX_CONNECTIONS, maxConnections);
        put(flags, Setting.HEADER_DEADLINE, headerDeadline);
        put(flags, Setting.MAX_REQUESTS_IN_FLIGHT, maxRequestsInFlight);
        put(flags, Setting.MAX_EVENT_STREAMS, maxEventStreams);
        put(flags, Setting.MAX_EVENT_STREAMS_PER_CALLER, maxEventStreamsPerCaller);
        put(flags, Setting.ADVERTISE_URL, advertiseUrl);
        put(flags, Setting.MAX_CLOCK_OFFSET, maxClockOffset);
        if (secureCookies) {
            put(flags, Setting.SECURE_COOKIES, "true");
        }
        if (!developmentTrust.isEmpty()) {
            flags.put(Setting.DEVELOPMENT_TRUST, List.copyOf(developmentTrust));
        }
        put(flags, Setting.LOG_FORMAT, logFormat);
        put(flags, Setting.LOG_FILE, logFile);
        if (!logLevels.isEmpty()) {
            flags.put(Setting.LOG_LEVEL, List.copyOf(logLevels));
        }
        if (!trustedProxy.isEmpty()) {
            flags.put(Setting.TRUSTED_PROXY, List.copyOf(trustedProxy));
        }
        return flags;
    }

    private static void put(Map<Setting, List<String>> flags, Setting setting, String value) {
        if (value != null) {
            flags.put(setting, List.of(value));
        }
    }
}
