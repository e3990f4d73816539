package com.anycontact.innolicense.server;

import com.anycontact.innolicense.http.HttpLimits;
import com.anycontact.innolicense.http.TrustedProxies;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import com.anycontact.innolicense.usage.UsageRetention;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a license server runs; read by {@link ServerConfigLoader} from flags, environment and a
 * configuration file.
 *
 * @param host the address to listen on, e.g. {@code 0.0.0.0} for every interface
 * @param port the TCP port, or 0 for any free one
 * @param dataDirectory where the database lives
 * @param developmentTrust vendor public keys trusted for development or evaluation besides the built-in
 *     production keys ({@code --development-trust}); any key here puts the server on development trust
 * @param leaseTtl how long a claim or renewal holds a seat
 * @param adminPassword the password of user {@code admin} at first start, or empty to generate one
 * @param bootstrapToken the secret of an admin API token created at first start, or empty for none
 * @param secureCookies whether the session cookie is marked {@code Secure} (the server is reached over TLS)
 * @param retention how long denials, audit events, usage and alerts are kept
 * @param database the cluster database in PostgreSQL that keeps all data instead of the data directory, or
 *     empty for the embedded SQLite database
 * @param trustedProxies the reverse proxies whose forwarding headers are believed ({@code --trusted-proxy})
 * @param limits the bounds on connections, header time, requests in flight and event streams ({@code
 *     --max-connections} and the others beside it)
 * @param cluster how this node takes part in a cluster (with {@code database})
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDirectory,
        List<VendorPublicKey> developmentTrust,
        Duration leaseTtl,
        Optional<String> adminPassword,
        Optional<String> bootstrapToken,
        boolean secureCookies,
        Retention retention,
        Optional<PostgresUrl> database,
        TrustedProxies trustedProxies,
        HttpLimits limits,
        ClusterSettings cluster) {

    /** The default port. */
    public static final int DEFAULT_PORT = 8080;
    /** The default address: every interface. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** The default data directory, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");
    /** The default lease TTL. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(60);
    /** The shortest lease TTL accepted. */
    public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(1);
    /** The longest lease TTL accepted. */
    public static final Duration MAX_LEASE_TTL = Duration.ofHours(24);

    /**
     * How long the rows that only grow are kept; a purge runs once a day, off the request path.
     *
     * @param denials how long a recorded denial is kept (default {@link #DEFAULT_DENIALS})
     * @param audit how long an audit event stays in the database before it is archived to a JSON-lines file in
     *     the data directory and removed; empty (the default) keeps every event in the database
     * @param usage how long the usage minutes, days and months are kept (docs/reports.md)
     * @param alerts how long alerts, their deliveries and the delivery log are kept (default {@link
     *     #DEFAULT_ALERTS}); deliveries still being retried and the newest alert of each rule are kept longer
     *     (docs/alerts.md)
     */
    public record Retention(Duration denials, Optional<Duration> audit, UsageRetention usage, Duration alerts) {

        /** The default denial retention: 400 days, a year of history with a margin. */
        public static final Duration DEFAULT_DENIALS = Duration.ofDays(400);
        /** The default alert retention: 90 days of alerts and delivery log. */
        public static final Duration DEFAULT_ALERTS = Duration.ofDays(90);
        /** The shortest retention accepted. */
        public static final Duration MINIMUM = Duration.ofDays(1);
        /** The defaults: denials 400 days, audit events kept in the database. */
        public static final Retention DEFAULT = new Retention(DEFAULT_DENIALS, Optional.empty());

        /** Denials and audit events as given, usage and alerts as by default. */
        public Retention(Duration denials, Optional<Duration> audit) {
            this(denials, audit, UsageRetention.DEFAULT);
        }

        /** Denials, audit events and usage as given, alerts as by default. */
        public Retention(Duration denials, Optional<Duration> audit, UsageRetention usage) {
            this(denials, audit, usage, DEFAULT_ALERTS);
        }

        /** Requires at least a day each. */
        public Retention {
            Objects.requireNonNull(denials, "denials");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(alerts, "alerts");
            if (denials.compareTo(MINIMUM) < 0
                    || alerts.compareTo(MINIMUM) < 0
                    || audit.map(a -> a.compareTo(MINIMUM) < 0).orElse(false)) {
                throw new IllegalArgumentException("a retention must be at least 1 day");
            }
        }
    }

    /**
     * How a node takes part in a cluster on the cluster database (docs/cluster.md); unused by the embedded server.
     *
     * @param advertiseUrl where the other nodes and the operator reach this node, shown in the node registry
     *     ({@code --advertise-url}); empty to derive it from the host name and port
     * @param maxClockOffset how far this node's clock may be from the cluster database's before it refuses seat
     *     calls ({@code --max-clock-offset}, default {@link #DEFAULT_MAX_CLOCK_OFFSET})
     */
    public record ClusterSettings(Optional<URI> advertiseUrl, Duration maxClockOffset) {

        /** The default clock offset bound: 2 s (the argument is in docs/cluster.md). */
        public static final Duration DEFAULT_MAX_CLOCK_OFFSET = Duration.ofSeconds(2);
        /** The smallest bound the configuration accepts. */
        public static final Duration MIN_MAX_CLOCK_OFFSET = Duration.ofMillis(100);
        /** The largest bound the configuration accepts. */
        public static final Duration MAX_MAX_CLOCK_OFFSET = Duration.ofSeconds(30);
        /** The defaults: derived address, 2 s. */
        public static final ClusterSettings DEFAULT = new ClusterSettings(Optional.empty(), DEFAULT_MAX_CLOCK_OFFSET);

        /** Requires a positive bound (the configuration loader checks the accepted range). */
        public ClusterSettings {
            Objects.requireNonNull(advertiseUrl, "advertiseUrl");
            Objects.requireNonNull(maxClockOffset, "maxClockOffset");
            if (maxClockOffset.isNegative() || maxClockOffset.isZero()) {
                throw new IllegalArgumentException("the clock offset bound must be positive, was " + maxClockOffset);
            }
        }

        /** These settings with another clock offset bound. */
        public ClusterSettings withMaxClockOffset(Duration bound) {
            return new ClusterSettings(advertiseUrl, bound);
        }
    }

    /** Checks the ranges; {@link ServerConfigLoader} reports the same rules as readable errors. */
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        developmentTrust = List.copyOf(developmentTrust);
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0 || leaseTtl.compareTo(MAX_LEASE_TTL) > 0) {
            throw new IllegalArgumentException("lease TTL must be 1s to 24h, was " + leaseTtl);
        }
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(bootstrapToken, "bootstrapToken");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(cluster, "cluster");
    }

    /** A builder holding the defaults: every interface, port 8080, {@code data}, production trust only. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults, listening on {@code host:port} with the given data directory and development keys (empty
     * for production trust only).
     */
    public static ServerConfig of(String host, int port, Path dataDirectory, List<VendorPublicKey> developmentTrust) {
        return builder()
                .host(host)
                .port(port)
                .dataDirectory(dataDirectory)
                .developmentTrust(developmentTrust)
                .build();
    }

    /** A builder holding this configuration, to make one that differs in a few components. */
    public Builder toBuilder() {
        return new Builder()
                .host(host)
                .port(port)
                .dataDirectory(dataDirectory)
                .developmentTrust(developmentTrust)
                .leaseTtl(leaseTtl)
                .adminPassword(adminPassword)
                .bootstrapToken(bootstrapToken)
                .secureCookies(secureCookies)
                .retention(retention)
                .database(database)
                .trustedProxies(trustedProxies)
                .limits(limits)
                .cluster(cluster);
    }

    /**
     * Makes a {@link ServerConfig}: one method per component, named as the component; {@link #build()} checks
     * the ranges as the record's constructor does.
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path dataDirectory = DEFAULT_DATA_DIRECTORY;
        private List<VendorPublicKey> developmentTrust = List.of();
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private Optional<String> adminPassword = Optional.empty();
        private Optional<String> bootstrapToken = Optional.empty();
        private boolean secureCookies;
        private Retention retention = Retention.DEFAULT;
        private Optional<PostgresUrl> database = Optional.empty();
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private HttpLimits limits = HttpLimits.DEFAULT;
        private ClusterSettings cluster = ClusterSettings.DEFAULT;

        private Builder() {}

        /** See {@link ServerConfig#host()}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** See {@link ServerConfig#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** See {@link ServerConfig#dataDirectory()}. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** See {@link ServerConfig#developmentTrust()}. */
        public Builder developmentTrust(List<VendorPublicKey> developmentTrust) {
            this.developmentTrust = developmentTrust;
            return this;
        }

        /** See {@link ServerConfig#leaseTtl()}. */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
            return this;
        }

        /** See {@link ServerConfig#adminPassword()}. */
        public Builder adminPassword(Optional<String> adminPassword) {
            this.adminPassword = adminPassword;
            return this;
        }

        /** See {@link ServerConfig#bootstrapToken()}. */
        public Builder bootstrapToken(Optional<String> bootstrapToken) {
            this.bootstrapToken = bootstrapToken;
            return this;
        }

        /** See {@link ServerConfig#secureCookies()}. */
        public Builder secureCookies(boolean secureCookies) {
            this.secureCookies = secureCookies;
            return this;
        }

        /** See {@link ServerConfig#retention()}. */
        public Builder retention(Retention retention) {
            this.retention = retention;
            return this;
        }

        /** See {@link ServerConfig#database()}. */
        public Builder database(Optional<PostgresUrl> database) {
            this.database = database;
            return this;
        }

        /** See {@link ServerConfig#trustedProxies()}. */
        public Builder trustedProxies(TrustedProxies trustedProxies) {
            this.trustedProxies = trustedProxies;
            return this;
        }

        /** See {@link ServerConfig#limits()}. */
        public Builder limits(HttpLimits limits) {
            this.limits = limits;
            return this;
        }

        /** See {@link ServerConfig#cluster()}. */
        public Builder cluster(ClusterSettings cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException when a value is out of range
         * @throws NullPointerException when a component is null
         */
        public ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    dataDirectory,
                    developmentTrust,
                    leaseTtl,
                    adminPassword,
                    bootstrapToken,
                    secureCookies,
                    retention,
                    database,
                    trustedProxies,
                    limits,
                    cluster);
        }
    }

    /** Never shows the secrets. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDirectory=" + dataDirectory
                + ", developmentTrust="
                + developmentTrust.stream().map(VendorPublicKey::keyId).toList() + ", leaseTtl=" + leaseTtl
                + ", adminPassword=" + (adminPassword.isPresent() ? "(set)" : "(none)") + ", bootstrapToken="
                + (bootstrapToken.isPresent() ? "(set)" : "(none)") + ", secureCookies=" + secureCookies
                + ", retention=" + retention + ", database="
                + database.map(PostgresUrl::display).orElse("(none)")
                + ", trustedProxies=" + trustedProxies + ", limits=" + limits + ", cluster=" + cluster + "]";
    }
}
