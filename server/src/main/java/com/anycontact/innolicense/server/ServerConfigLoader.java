package com.anycontact.innolicense.server;

import com.anycontact.innolicense.http.HttpLimits;
import com.anycontact.innolicense.http.TrustedProxies;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import com.anycontact.innolicense.usage.UsageRetention;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the {@link ServerConfig} from command-line flags, environment variables and a configuration
 * file, in that order of precedence, over the defaults. Every problem names the setting, where its
 * value came from and what was expected; all problems are reported at once.
 */
public final class ServerConfigLoader {

    /** A setting, with its names in each source. */
    public enum Setting {
        /** The address to listen on. */
        HOST("host", true),
        /** The TCP port. */
        PORT("port", true),
        /** The data directory. */
        DATA_DIR("data-dir", true),
        /**
         * Vendor public key files trusted for development or evaluation, besides the built-in production keys;
         * several allowed. Any of them puts the server on development trust.
         */
        DEVELOPMENT_TRUST("development-trust", true),
        /** The lease TTL. */
        LEASE_TTL("lease-ttl", true),
        /** The first-start password of user {@code admin}; never a flag, so that it stays out of process lists. */
        ADMIN_PASSWORD("admin-password", false),
        /** The first-start admin API token; never a flag. */
        BOOTSTRAP_TOKEN("bootstrap-token", false),
        /** Whether the session cookie is marked {@code Secure}. */
        SECURE_COOKIES("secure-cookies", true),
        /** How long denials are kept. */
        DENIAL_RETENTION("denial-retention", true),
        /** How long audit events stay in the database before they are archived, or {@code off}. */
        AUDIT_RETENTION("audit-retention", true),
        /** How long alerts, their deliveries and the delivery log are kept. */
        ALERT_RETENTION("alert-retention", true),
        /** How long the per-minute usage record is kept. */
        USAGE_MINUTE_RETENTION("usage-minute-retention", true),
        /** How long the daily usage aggregates are kept. */
        USAGE_DAY_RETENTION("usage-day-retention", true),
        /** How long the monthly usage aggregates are kept. */
        USAGE_MONTH_RETENTION("usage-month-retention", true),
        /** The format of log lines: {@code text} or {@code json}. */
        LOG_FORMAT("log-format", true),
        /** A file to log to instead of standard error (rotated). */
        LOG_FILE("log-file", true),
        /** Levels of areas, {@code area=level} separated by {@code ,}; several flags allowed. */
        LOG_LEVEL("log-level", true),
        /** The cluster database in PostgreSQL; its variable is {@code INNOLICENSE_DATABASE_URL}. */
        DATABASE("database", true, "INNOLICENSE_DATABASE_URL"),
        /** The cluster database's password, when not in its URL; never a flag. */
        DATABASE_PASSWORD("database-password", false),
        /** Reverse proxies whose forwarding headers are believed; several allowed. */
        TRUSTED_PROXY("trusted-proxy", true),
        /** Open TCP connections at most. */
        MAX_CONNECTIONS("max-connections", true),
        /** How long a request's line and headers may take to arrive. */
        HEADER_DEADLINE("header-deadline", true),
        /** Requests off the seat fast path running at once, event streams included. */
        MAX_REQUESTS_IN_FLIGHT("max-requests-in-flight", true),
        /** Live-event streams open in total. */
        MAX_EVENT_STREAMS("max-event-streams", true),
        /** Live-event streams one session or API token may have open. */
        MAX_EVENT_STREAMS_PER_CALLER("max-event-streams-per-caller", true),
        /** Where this cluster node is reached, shown in the node registry. */
        ADVERTISE_URL("advertise-url", true),
        /** How far a cluster node's clock may be from the database's before it refuses seat calls. */
        MAX_CLOCK_OFFSET("max-clock-offset", true);

        private final String key;
        private final boolean hasFlag;
        private final String variable;

        Setting(String key, boolean hasFlag) {
            this(key, hasFlag, "INNOLICENSE_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        Setting(String key, boolean hasFlag, String variable) {
            this.key = key;
            this.hasFlag = hasFlag;
            this.variable = variable;
        }

        /** The name in a configuration file, e.g. {@code lease-ttl}. */
        public String fileKey() {
            return key;
        }

        /** The environment variable, e.g. {@code INNOLICENSE_LEASE_TTL}. */
        public String variable() {
            return variable;
        }

        /**
         * The environment variable naming a file that holds a secret, e.g. {@code INNOLICENSE_ADMIN_PASSWORD_FILE}
         * (for Docker and systemd credentials); only the secrets have one.
         */
        public String fileVariable() {
            return variable() + "_FILE";
        }

        /** The command-line flag, e.g. {@code --lease-ttl}, or empty for the secrets, which have none. */
        public Optional<String> flag() {
            return hasFlag ? Optional.of("--" + key) : Optional.empty();
        }
    }

    /** The outcome of loading: a configuration, or every problem found. */
    public sealed interface Result {

        /**
         * The configuration is complete and valid.
         *
         * @param config the configuration
         * @param logging how the server logs
         */
        record Loaded(ServerConfig config, LogSettings logging) implements Result {}

        /**
         * The configuration is unusable.
         *
         * @param problems one line per problem, each naming the setting and its source
         */
        record Invalid(List<String> problems) implements Result {
            /** Copies the problems. */
            public Invalid {
                problems = List.copyOf(problems);
            }
        }
    }

    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*,\\s*");
    private static final String BOOLEAN = "true or false";

    /** The variable of the retired setting {@code trust}, refused when set. */
    static final String RETIRED_TRUST_VARIABLE = "INNOLICENSE_TRUST";

    /**
     * What to do instead of the retired setting {@code trust}; {@code %s} is the development-trust name in the
     * same source.
     */
    public static final String RETIRED_TRUST_ADVICE = "the vendor's production keys are built into the server and"
            + " trusted without it; to accept license keys signed with your own key for development or evaluation,"
            + " use %s (the server then runs marked as on development trust); see docs/trust.md";

    private record Value(String text, String source, Path base) {}

    private final Map<Setting, List<String>> flags;
    private final Map<String, String> environment;
    private final Optional<Path> configFile;
    private final List<String> problems = new ArrayList<>();
    private final Map<Setting, Value> fileValues = new EnumMap<>(Setting.class);
    private boolean retiredTrustInFile;

    private ServerConfigLoader(
            Map<Setting, List<String>> flags, Map<String, String> environment, Optional<Path> configFile) {
        this.flags = Map.copyOf(flags);
        this.environment = Map.copyOf(environment);
        this.configFile = Objects.requireNonNull(configFile, "configFile");
    }

    /**
     * Loads the configuration.
     *
     * @param flags the values given on the command line; a setting absent or mapped to an empty list was not
     *     given. Only {@link Setting#DEVELOPMENT_TRUST}, {@link Setting#LOG_LEVEL} and {@link
     *     Setting#TRUSTED_PROXY} may have several values.
     * @param environment the process environment
     * @param configFile the properties file named by {@code --config}, if any
     */
    public static Result load(
            Map<Setting, List<String>> flags, Map<String, String> environment, Optional<Path> configFile) {
        return new ServerConfigLoader(flags, environment, configFile).load();
    }

    private Result load() {
        configFile.ifPresent(this::readFile);
        String host = value(Setting.HOST).map(this::host).orElse(ServerConfig.DEFAULT_HOST);
        int port = value(Setting.PORT).map(this::port).orElse(ServerConfig.DEFAULT_PORT);
        Path dataDirectory = value(Setting.DATA_DIR)
                .map(v -> path(Setting.DATA_DIR, v, v.text()))
                .orElse(ServerConfig.DEFAULT_DATA_DIRECTORY);
        refuseRetiredTrust();
        List<VendorPublicKey> keys = developmentKeys();
        Duration ttl = value(Setting.LEASE_TTL).map(this::leaseTtl).orElse(ServerConfig.DEFAULT_LEASE_TTL);
        Optional<String> adminPassword = value(Setting.ADMIN_PASSWORD).map(v -> secret(Setting.ADMIN_PASSWORD, v));
        Optional<String> bootstrapToken = value(Setting.BOOTSTRAP_TOKEN).map(v -> secret(Setting.BOOTSTRAP_TOKEN, v));
        boolean secureCookies =
                value(Setting.SECURE_COOKIES).map(this::secureCookies).orElse(false);
        Duration denialRetention = value(Setting.DENIAL_RETENTION)
                .map(v -> retention(Setting.DENIAL_RETENTION, v))
                .orElse(ServerConfig.Retention.DEFAULT_DENIALS);
        Optional<Duration> auditRetention = value(Setting.AUDIT_RETENTION)
                .filter(v -> !v.text().equalsIgnoreCase("off"))
                .map(v -> retention(Setting.AUDIT_RETENTION, v));
        UsageRetention usageRetention = usageRetention();
        Duration alertRetention = value(Setting.ALERT_RETENTION)
                .map(v -> retention(Setting.ALERT_RETENTION, v))
                .orElse(ServerConfig.Retention.DEFAULT_ALERTS);
        Optional<String> databasePassword =
                value(Setting.DATABASE_PASSWORD).map(v -> secret(Setting.DATABASE_PASSWORD, v));
        Optional<PostgresUrl> database = value(Setting.DATABASE).flatMap(v -> database(v, databasePassword));
        LogSettings logging = logging();
        TrustedProxies proxies = trustedProxies();
        HttpLimits limits = limits();
        ServerConfig.ClusterSettings cluster = new ServerConfig.ClusterSettings(
                value(Setting.ADVERTISE_URL).flatMap(this::advertiseUrl),
                value(Setting.MAX_CLOCK_OFFSET)
                        .map(this::maxClockOffset)
                        .orElse(ServerConfig.ClusterSettings.DEFAULT_MAX_CLOCK_OFFSET));
        if (database.isPresent() && cluster.maxClockOffset().multipliedBy(3).compareTo(ttl) >= 0) {
            problems.add(Setting.MAX_CLOCK_OFFSET.fileKey() + ": " + Durations.format(cluster.maxClockOffset())
                    + " is not less than a third of the lease TTL (" + Durations.format(ttl) + "): nodes whose clocks"
                    + " differ by twice the bound could let a renewing agent's lease lapse; use a smaller bound or a"
                    + " longer lease TTL (docs/cluster.md#clock-skew)");
        }
        if (!problems.isEmpty()) {
            return new Result.Invalid(problems);
        }
        return new Result.Loaded(
                ServerConfig.builder()
                        .host(host)
                        .port(port)
                        .dataDirectory(dataDirectory)
                        .developmentTrust(keys)
                        .leaseTtl(ttl)
                        .adminPassword(adminPassword)
                        .bootstrapToken(bootstrapToken)
                        .secureCookies(secureCookies)
                        .retention(new ServerConfig.Retention(
                                denialRetention, auditRetention, usageRetention, alertRetention))
                        .database(database)
                        .trustedProxies(proxies)
                        .limits(limits)
                        .cluster(cluster)
                        .build(),
                logging);
    }

    private LogSettings logging() {
        LogSettings.Format format = value(Setting.LOG_FORMAT)
                .map(value -> switch (value.text().toLowerCase(Locale.ROOT)) {
                    case "text" -> LogSettings.Format.TEXT;
                    case "json" -> LogSettings.Format.JSON;
                    default -> {
                        problem(Setting.LOG_FORMAT, value, "is not a log format; use text or json");
                        yield LogSettings.Format.TEXT;
                    }
                })
                .orElse(LogSettings.Format.TEXT);
        Optional<Path> file = value(Setting.LOG_FILE).map(v -> path(Setting.LOG_FILE, v, v.text()));
        Map<String, String> levels = new java.util.LinkedHashMap<>();
        value(Setting.LOG_LEVEL).ifPresent(value -> {
            for (String entry : LIST_SEPARATOR.split(value.text())) {
                String[] parts = entry.split("=", 2);
                String level = parts.length == 2 ? parts[1].strip().toUpperCase(Locale.ROOT) : "";
                if (parts.length != 2 || parts[0].isBlank() || !LogSettings.LEVELS.contains(level)) {
                    problems.add(Setting.LOG_LEVEL.fileKey() + " (from " + value.source() + "): '" + entry
                            + "' is not AREA=LEVEL; use e.g. com.anycontact.innolicense.seat=debug or root=warn,"
                            + " with a level of "
                            + String.join(", ", LogSettings.LEVELS).toLowerCase(Locale.ROOT));
                } else {
                    levels.put(parts[0].strip(), level);
                }
            }
        });
        return new LogSettings(format, file, levels);
    }

    private void readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            problems.add("config (from --config): cannot read " + file + ": no such file");
            return;
        } catch (MalformedInputException e) {
            problems.add("config (from --config): " + file + " is not UTF-8 text");
            return;
        } catch (IOException | IllegalArgumentException e) {
            problems.add("config (from --config): cannot read " + file + ": " + e.getMessage());
            return;
        }
        Path base = file.toAbsolutePath().getParent();
        for (String key : properties.stringPropertyNames()) {
            Optional<Setting> setting = Arrays.stream(Setting.values())
                    .filter(s -> s.fileKey().equals(key))
                    .findFirst();
            if (setting.isEmpty() && key.equals("trust")) {
                retiredTrustInFile = true;
            } else if (setting.isEmpty()) {
                problems.add("config (from " + file + "): unknown setting '" + key + "'; known settings: "
                        + Arrays.stream(Setting.values()).map(Setting::fileKey).collect(Collectors.joining(", ")));
            } else {
                fileValues.put(
                        setting.get(), new Value(properties.getProperty(key).strip(), file.toString(), base));
            }
        }
    }

    private Optional<Value> value(Setting setting) {
        List<String> given = flags.getOrDefault(setting, List.of());
        if (!given.isEmpty()) {
            return Optional.of(new Value(String.join(",", given), setting.flag().orElse(setting.fileKey()), null));
        }
        String variable = environment.get(setting.variable());
        if (!setting.hasFlag) {
            String fileVariable = setting.fileVariable();
            String secretFile = environment.get(fileVariable);
            if (secretFile != null && variable != null) {
                problems.add(setting.fileKey() + ": both " + setting.variable() + " and " + fileVariable
                        + " are set; set only one");
                return Optional.empty();
            }
            if (secretFile != null) {
                return readSecretFile(setting, secretFile);
            }
        }
        if (variable != null) {
            return Optional.of(new Value(variable.strip(), setting.variable(), null));
        }
        return Optional.ofNullable(fileValues.get(setting));
    }

    /** The secret in the file named by {@code INNOLICENSE_…_FILE}, without its trailing line break. */
    private Optional<Value> readSecretFile(Setting setting, String name) {
        String source = setting.fileVariable() + " (" + name + ")";
        try {
            String text = Files.readString(Path.of(name), StandardCharsets.UTF_8);
            return Optional.of(new Value(text.strip(), source, null));
        } catch (NoSuchFileException e) {
            problems.add(setting.fileKey() + " (from " + setting.fileVariable() + "): " + name + ": no such file");
        } catch (MalformedInputException e) {
            problems.add(setting.fileKey() + " (from " + setting.fileVariable() + "): " + name + " is not UTF-8 text");
        } catch (IOException | InvalidPathException e) {
            problems.add(setting.fileKey() + " (from " + setting.fileVariable() + "): cannot read " + name + ": "
                    + e.getMessage());
        }
        return Optional.empty();
    }

    private String host(Value value) {
        if (value.text().isEmpty() || value.text().chars().anyMatch(Character::isWhitespace)) {
            problem(Setting.HOST, value, "is not a host name or address; use e.g. 0.0.0.0 or 127.0.0.1");
            return ServerConfig.DEFAULT_HOST;
        }
        return value.text();
    }

    private int port(Value value) {
        try {
            int port = Integer.parseInt(value.text());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(Setting.PORT, value, "is not a port; use a number from 0 to 65535 (0: any free port)");
        return ServerConfig.DEFAULT_PORT;
    }

    private Duration leaseTtl(Value value) {
        Optional<Duration> ttl = Durations.parse(value.text());
        if (ttl.isEmpty()) {
            problem(Setting.LEASE_TTL, value, "is not a duration; use e.g. 60s, 2m or PT90S");
            return ServerConfig.DEFAULT_LEASE_TTL;
        }
        if (ttl.get().compareTo(ServerConfig.MIN_LEASE_TTL) < 0
                || ttl.get().compareTo(ServerConfig.MAX_LEASE_TTL) > 0) {
            problem(Setting.LEASE_TTL, value, "is out of range; use 1s to 24h, e.g. 60s");
            return ServerConfig.DEFAULT_LEASE_TTL;
        }
        return ttl.get();
    }

    private Optional<URI> advertiseUrl(Value value) {
        try {
            URI url = new URI(value.text().strip());
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                    && url.getHost() != null
                    && url.getUserInfo() == null
                    && url.getQuery() == null
                    && url.getFragment() == null) {
                return Optional.of(url);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problem(
                Setting.ADVERTISE_URL,
                value,
                "is not a URL where this node is reached; use e.g. http://node-a.example.com:8080");
        return Optional.empty();
    }

    private Duration maxClockOffset(Value value) {
        Optional<Duration> bound = Durations.parse(value.text());
        if (bound.isEmpty()
                || bound.get().compareTo(ServerConfig.ClusterSettings.MIN_MAX_CLOCK_OFFSET) < 0
                || bound.get().compareTo(ServerConfig.ClusterSettings.MAX_MAX_CLOCK_OFFSET) > 0) {
            problem(
                    Setting.MAX_CLOCK_OFFSET,
                    value,
                    "is not a clock offset bound from 100ms to 30s; use e.g. 2s (docs/cluster.md says how to"
                            + " choose it)");
            return ServerConfig.ClusterSettings.DEFAULT_MAX_CLOCK_OFFSET;
        }
        return bound.get();
    }

    private Duration retention(Setting setting, Value value) {
        Optional<Duration> retention = Durations.parse(value.text());
        if (retention.isEmpty() || retention.get().compareTo(ServerConfig.Retention.MINIMUM) < 0) {
            problem(
                    setting,
                    value,
                    "is not a retention of at least a day; use e.g. 400d"
                            + (setting == Setting.AUDIT_RETENTION ? ", or off to keep every event" : ""));
            return ServerConfig.Retention.DEFAULT_DENIALS;
        }
        return retention.get();
    }

    private UsageRetention usageRetention() {
        Duration minutes = value(Setting.USAGE_MINUTE_RETENTION)
                .map(v -> retention(Setting.USAGE_MINUTE_RETENTION, v))
                .orElse(UsageRetention.DEFAULT_MINUTES);
        Duration days = value(Setting.USAGE_DAY_RETENTION)
                .map(v -> retention(Setting.USAGE_DAY_RETENTION, v))
                .orElse(UsageRetention.DEFAULT_DAYS);
        Duration months = value(Setting.USAGE_MONTH_RETENTION)
                .map(v -> retention(Setting.USAGE_MONTH_RETENTION, v))
                .orElse(UsageRetention.DEFAULT_MONTHS);
        if (days.compareTo(minutes) < 0 || months.compareTo(minutes) < 0) {
            problems.add(Setting.USAGE_DAY_RETENTION.fileKey() + " and " + Setting.USAGE_MONTH_RETENTION.fileKey()
                    + " must be at least " + Setting.USAGE_MINUTE_RETENTION.fileKey() + " ("
                    + Durations.format(minutes) + "): days and months are rolled up from the minutes; keep them"
                    + " longer, e.g. 1110d and 3660d");
            return UsageRetention.DEFAULT;
        }
        return new UsageRetention(minutes, days, months);
    }

    private String secret(Setting setting, Value value) {
        if (value.text().isEmpty()) {
            problems.add(setting.fileKey() + " (from " + value.source() + "): is empty; leave it unset instead");
        }
        return value.text();
    }

    private boolean secureCookies(Value value) {
        return switch (value.text().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> {
                problem(Setting.SECURE_COOKIES, value, "is not " + BOOLEAN);
                yield false;
            }
        };
    }

    private Optional<PostgresUrl> database(Value value, Optional<String> password) {
        try {
            return Optional.of(PostgresUrl.parse(value.text(), password));
        } catch (IllegalArgumentException e) {
            // The URL is not repeated: it may hold a password.
            problems.add(Setting.DATABASE.fileKey() + " (from " + value.source() + "): " + e.getMessage());
            return Optional.empty();
        }
    }

    private TrustedProxies trustedProxies() {
        Optional<Value> value = value(Setting.TRUSTED_PROXY);
        if (value.isEmpty()) {
            return TrustedProxies.none();
        }
        List<String> given =
                flags.getOrDefault(Setting.TRUSTED_PROXY, List.of()).isEmpty()
                        ? Arrays.asList(LIST_SEPARATOR.split(value.get().text()))
                        : flags.get(Setting.TRUSTED_PROXY);
        List<String> blocks = new ArrayList<>();
        for (String block : given) {
            if (block.isBlank()) {
                continue;
            }
            if (TrustedProxies.isValid(block)) {
                blocks.add(block.strip());
            } else {
                problems.add(Setting.TRUSTED_PROXY.fileKey() + " (from "
                        + value.get().source() + "): '" + block.strip() + "' is not " + TrustedProxies.RULE);
            }
        }
        return TrustedProxies.of(blocks);
    }

    private HttpLimits limits() {
        HttpLimits defaults = HttpLimits.DEFAULT;
        int connections = count(Setting.MAX_CONNECTIONS, 1, 1_000_000, defaults.maxConnections());
        Duration headerDeadline = value(Setting.HEADER_DEADLINE)
                .map(value -> {
                    Optional<Duration> deadline = Durations.parse(value.text());
                    if (deadline.isEmpty()
                            || deadline.get().compareTo(Duration.ofSeconds(1)) < 0
                            || deadline.get().compareTo(Duration.ofMinutes(10)) > 0) {
                        problem(Setting.HEADER_DEADLINE, value, "is not a duration from 1s to 10m; use e.g. 10s");
                        return defaults.headerDeadline();
                    }
                    return deadline.get();
                })
                .orElse(defaults.headerDeadline());
        int inFlight = count(Setting.MAX_REQUESTS_IN_FLIGHT, 2, 100_000, defaults.maxRequestsInFlight());
        int streams = count(Setting.MAX_EVENT_STREAMS, 1, 100_000, defaults.maxStreams());
        int perCaller = count(Setting.MAX_EVENT_STREAMS_PER_CALLER, 1, 100_000, defaults.maxStreamsPerCaller());
        if (perCaller > streams) {
            problems.add(Setting.MAX_EVENT_STREAMS_PER_CALLER.fileKey() + " (" + perCaller + ") is above "
                    + Setting.MAX_EVENT_STREAMS.fileKey() + " (" + streams + "); lower it or raise "
                    + Setting.MAX_EVENT_STREAMS.fileKey());
        } else if (streams >= inFlight) {
            problems.add(Setting.MAX_EVENT_STREAMS.fileKey() + " (" + streams + ") must be below "
                    + Setting.MAX_REQUESTS_IN_FLIGHT.fileKey() + " (" + inFlight + "): each open stream holds one"
                    + " of the requests in flight; lower " + Setting.MAX_EVENT_STREAMS.fileKey() + " or raise "
                    + Setting.MAX_REQUESTS_IN_FLIGHT.fileKey());
        }
        return problems.isEmpty()
                ? new HttpLimits(connections, headerDeadline, inFlight, perCaller, streams)
                : defaults;
    }

    /** A whole number from {@code min} to {@code max}, or {@code fallback} when not set or not one. */
    private int count(Setting setting, int min, int max, int fallback) {
        Optional<Value> value = value(setting);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int count = Integer.parseInt(value.get().text());
            if (count >= min && count <= max) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(setting, value.get(), "is not a number from " + min + " to " + max + "; the default is " + fallback);
        return fallback;
    }

    /**
     * The setting {@code trust} (flag, variable and file key) let an operator choose the keys a server trusts;
     * it is gone, and a configuration that still names it is refused rather than silently run on other keys.
     */
    private void refuseRetiredTrust() {
        if (environment.containsKey(RETIRED_TRUST_VARIABLE)) {
            problems.add(RETIRED_TRUST_VARIABLE + " is no longer read: "
                    + RETIRED_TRUST_ADVICE.formatted(Setting.DEVELOPMENT_TRUST.variable()));
        }
        if (retiredTrustInFile) {
            problems.add("trust (from " + configFile.orElseThrow() + "): the setting 'trust' is no longer read: "
                    + RETIRED_TRUST_ADVICE.formatted(Setting.DEVELOPMENT_TRUST.fileKey()));
        }
    }

    private List<VendorPublicKey> developmentKeys() {
        Optional<Value> value = value(Setting.DEVELOPMENT_TRUST);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> files =
                flags.getOrDefault(Setting.DEVELOPMENT_TRUST, List.of()).isEmpty()
                        ? splitList(value.get())
                        : flags.get(Setting.DEVELOPMENT_TRUST);
        List<VendorPublicKey> keys = new ArrayList<>();
        for (String name : files) {
            if (name.isBlank()) {
                continue;
            }
            Path file = path(Setting.DEVELOPMENT_TRUST, value.get(), name.strip());
            if (file == null) {
                continue;
            }
            readKey(value.get(), file).ifPresent(keys::add);
        }
        try {
            TrustedKeys.of(keys);
        } catch (IllegalArgumentException e) {
            problems.add(Setting.DEVELOPMENT_TRUST.fileKey() + " (from "
                    + value.get().source() + "): " + e.getMessage() + "; trust one file per vendor key");
        }
        return keys;
    }

    private List<String> splitList(Value value) {
        String text = value.text();
        if (value.source().equals(Setting.DEVELOPMENT_TRUST.variable())) {
            return Arrays.asList(text.split("\\s*[," + Pattern.quote(java.io.File.pathSeparator) + "]\\s*"));
        }
        return Arrays.asList(LIST_SEPARATOR.split(text));
    }

    private Optional<VendorPublicKey> readKey(Value value, Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problem(Setting.DEVELOPMENT_TRUST, value, file, "no such file");
            return Optional.empty();
        } catch (IOException e) {
            problem(Setting.DEVELOPMENT_TRUST, value, file, "cannot be read: " + e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(VendorPublicKey.fromPem(pem));
        } catch (IllegalArgumentException e) {
            problem(
                    Setting.DEVELOPMENT_TRUST,
                    value,
                    file,
                    "is not a vendor public key file (" + e.getMessage()
                            + "); use the vendor-public-key.pem written by 'innolicense-vendor init'");
            return Optional.empty();
        }
    }

    private Path path(Setting setting, Value value, String text) {
        try {
            Path path = Path.of(text);
            return value.base() == null || path.isAbsolute()
                    ? path
                    : value.base().resolve(path);
        } catch (InvalidPathException e) {
            problem(setting, value, "is not a path: " + e.getReason());
            return null;
        }
    }

    private void problem(Setting setting, Value value, String what) {
        problems.add(setting.fileKey() + " (from " + value.source() + "): '" + value.text() + "' " + what);
    }

    private void problem(Setting setting, Value value, Path file, String what) {
        problems.add(setting.fileKey() + " (from " + value.source() + "): " + file + " " + what);
    }
}
