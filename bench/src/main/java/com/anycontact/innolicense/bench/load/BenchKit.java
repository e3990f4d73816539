package com.anycontact.innolicense.bench.load;

import com.anycontact.innolicense.bench.BenchLicenses;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * What the nodes of a cluster on machines of their own share with the load generator that measures them, so that
 * {@link ClusterRun} can measure a cluster it did not start: the nodes' database, a throwaway vendor key (the
 * nodes trust its public half through {@code --development-trust}; the run signs the licenses of each row with the
 * private half), the bootstrap admin token and the admin password, and the lease TTL. Written by {@code ClusterRun
 * --write-kit DIR} as a directory:
 *
 * <ul>
 *   <li>{@code kit.properties}: the database's JDBC URL, the tokens and the key's passphrase (owner-only);
 *   <li>{@code vendor-signing-key.pem}: the throwaway vendor key, encrypted under that passphrase;
 *   <li>{@code vendor-public-key.pem}: its public half, for the nodes;
 *   <li>{@code start-node.sh}: starts one node on the machine it runs on (owner-only: it holds the secrets too).
 * </ul>
 *
 * <p>The kit holds the secrets of a benchmark, not of an installation: its vendor key signs licenses for its own
 * database only, and the nodes say everywhere that they run on development trust.
 *
 * @param databaseUrl the JDBC URL of the nodes' database, as the nodes and the load generator reach it
 * @param licenses the throwaway vendor key
 * @param adminToken the nodes' {@code INNOLICENSE_BOOTSTRAP_TOKEN}
 * @param adminPassword the nodes' {@code INNOLICENSE_ADMIN_PASSWORD}: user {@code admin} of AC Admin
 * @param leaseTtl the nodes' lease TTL
 */
record BenchKit(
        String databaseUrl, BenchLicenses licenses, String adminToken, String adminPassword, Duration leaseTtl) {

    /** The database a kit's nodes use, made fresh on the PostgreSQL server of {@code --postgres-url}. */
    static final String DATABASE = "bench_cluster_kit";

    static final String PROPERTIES = "kit.properties";
    static final String SIGNING_KEY = "vendor-signing-key.pem";
    static final String PUBLIC_KEY = "vendor-public-key.pem";
    static final String START_NODE = "start-node.sh";

    /**
     * Makes a kit: a fresh database {@value #DATABASE} beside the one of {@code postgresUrl} (dropping one left from
     * an earlier kit), a new vendor key and new secrets.
     */
    static BenchKit create(String postgresUrl, Duration leaseTtl) throws SQLException {
        return new BenchKit(
                ClusterArbiter.freshDatabase(postgresUrl, DATABASE),
                BenchLicenses.generate(),
                ServerProcess.secret(),
                ServerProcess.secret(),
                leaseTtl);
    }

    /**
     * Writes the kit into {@code directory}, which must be empty or not there yet.
     *
     * @throws IOException when the directory holds files already, or cannot be written
     */
    void write(Path directory) throws IOException {
        requireNewDirectory(directory);
        Files.createDirectories(directory);
        String passphrase = ServerProcess.secret();
        Properties properties = new Properties();
        properties.setProperty("database.url", databaseUrl);
        properties.setProperty("admin.token", adminToken);
        properties.setProperty("admin.password", adminPassword);
        properties.setProperty("lease.ttl.ms", Long.toString(leaseTtl.toMillis()));
        properties.setProperty("signing.passphrase", passphrase);
        Path file = directory.resolve(PROPERTIES);
        ownerOnly(Files.createFile(file));
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(
                    writer, "innoACD Licensing benchmark kit (ClusterRun --write-kit): secrets of a benchmark");
        }
        Path key = directory.resolve(SIGNING_KEY);
        ownerOnly(Files.createFile(key));
        Files.writeString(key, licenses.signingKey().toEncryptedPem(passphrase.toCharArray()));
        Files.writeString(directory.resolve(PUBLIC_KEY), licenses.publicKey().toPem());
        // The script holds the admin token, the admin password and the database URL too: its owner's only.
        Path script = directory.resolve(START_NODE);
        ownerOnly(Files.createFile(script));
        Files.writeString(script, startNodeScript());
        script.toFile().setExecutable(true, true);
    }

    /**
     * Checks that a kit can be written into {@code directory}: it is not there yet, or an empty directory.
     *
     * @throws IOException saying what is there
     */
    static void requireNewDirectory(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is a file: give a new or empty directory");
        }
        try (var entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new IOException(directory + " is not empty: give a new or empty directory, so that no earlier"
                        + " kit is mixed with this one");
            }
        }
    }

    /**
     * Reads a kit written by {@link #write}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    static BenchKit read(Path directory) throws IOException {
        Path file = directory.resolve(PROPERTIES);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IOException("no " + PROPERTIES + " in " + directory + ": --kit names the directory that"
                    + " ClusterRun --write-kit wrote");
        }
        String passphrase = required(properties, file, "signing.passphrase");
        VendorSigningKey key;
        try {
            key = VendorSigningKey.fromEncryptedPem(
                    Files.readString(directory.resolve(SIGNING_KEY)), passphrase.toCharArray());
        } catch (NoSuchFileException e) {
            throw new IOException("no " + SIGNING_KEY + " in " + directory + ": the kit is incomplete; write a new"
                    + " one with --write-kit");
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    directory.resolve(SIGNING_KEY) + " cannot be read with the kit's passphrase: " + e.getMessage());
        }
        long ttl;
        try {
            ttl = Long.parseLong(required(properties, file, "lease.ttl.ms"));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": lease.ttl.ms is not a number of milliseconds");
        }
        return new BenchKit(
                required(properties, file, "database.url"),
                BenchLicenses.of(key),
                required(properties, file, "admin.token"),
                required(properties, file, "admin.password"),
                Duration.ofMillis(ttl));
    }

    /**
     * What to do with the kit, for the one who wrote it.
     *
     * @param directory where the kit was written
     * @param peerUrl the {@code --postgres-url} of the run that wrote it: the peer's database, for the run after
     */
    String instructions(Path directory, String peerUrl) {
        return String.format("""
                Kit written to %1$s for the database %2$s.
                On each node's machine, with this directory copied there and a checkout of innoACD Licensing
                (bin/innolicense) or its jar:
                    INNOLICENSE=/path/to/bin/innolicense NODE_PORT=8080 %1$s/%3$s
                    (or INNOLICENSE_JAR=/path/to/innolicense.jar; NODE_JAVA_OPTS=-Xmx512m for the JVM's options)
                Start the first node alone and wait until it answers (it creates the schema and the installation),
                then the others. Then, on this machine:
                    java -cp bench/target/benchmarks.jar %4$s \\
                        --postgres-url '%5$s' --kit %1$s \\
                        --node-url http://NODE1:8080,http://NODE2:8080,http://NODE3:8080
                The nodes keep running after the run; stop them with Ctrl-C where they run.
                """, directory, databaseUrl, START_NODE, ClusterRun.class.getName(), peerUrl);
    }

    private String startNodeScript() {
        return """
                #!/usr/bin/env bash
                # One node of a benchmark cluster, written by ClusterRun --write-kit on %1$s: run it on the node's
                # machine with this directory copied there. Start the first node alone and wait until it answers (it
                # creates the schema and the installation), then the others; then run ClusterRun --kit DIR
                # --node-url URL,URL,... on the load generator's machine. The vendor key of this kit is a throwaway,
                # for benchmarks only: the node says everywhere that it runs on development trust.
                #
                # Environment: NODE_HOST (0.0.0.0), NODE_PORT (8080), NODE_DATA (node-data beside this script),
                # INNOLICENSE (the launcher, bin/innolicense of a checkout; default: innolicense on PATH), or
                # INNOLICENSE_JAR (run java -jar this jar instead, with JAVA, default java), NODE_JAVA_OPTS (the JVM's
                # options, e.g. -Xmx512m).
                set -euo pipefail
                kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
                export INNOLICENSE_BOOTSTRAP_TOKEN=%2$s
                export INNOLICENSE_ADMIN_PASSWORD=%3$s
                args=(server --host "${NODE_HOST:-0.0.0.0}" --port "${NODE_PORT:-8080}"
                    --data-dir "${NODE_DATA:-$kit/node-data}" --development-trust "$kit/%4$s"
                    --database %5$s --lease-ttl %6$dms)
                if [[ -n "${INNOLICENSE_JAR:-}" ]]; then
                    # shellcheck disable=SC2086 # NODE_JAVA_OPTS is a list of options
                    exec "${JAVA:-java}" ${NODE_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$INNOLICENSE_JAR" "${args[@]}"
                fi
                INNOLICENSE_JAVA_OPTS="${NODE_JAVA_OPTS:-${INNOLICENSE_JAVA_OPTS:-}}" exec "${INNOLICENSE:-innolicense}" "${args[@]}"
                """.formatted(
                        Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        shellQuoted(adminToken),
                        shellQuoted(adminPassword),
                        PUBLIC_KEY,
                        shellQuoted(databaseUrl),
                        leaseTtl.toMillis());
    }

    private static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String required(Properties properties, Path file, String name) throws IOException {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IOException(
                    file + " has no " + name + ": the kit is incomplete; write a new one with" + " --write-kit");
        }
        return value;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX permissions (not where the benchmark runs): the kit is a benchmark's.
        }
    }
}
