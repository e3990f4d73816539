package com.anycontact.innolicense.vendor;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.sqlite.SQLiteConfig;

/**
 * The vendor's record of every license issued: an SQLite file ({@value #FILE_NAME} in the vendor
 * directory) with one row per license. The schema version is kept in {@code PRAGMA user_version}; a
 * file written by a newer version is refused rather than misread.
 *
 * <p>Reads run on their own. Everything that depends on what is already recorded, such as choosing the
 * next serial of an installation, runs inside {@link #write(Work)}, which holds SQLite's write lock from
 * the first read to the commit, so two order-team members issuing at once never get the same serial.
 */
public final class LicenseRegistry implements AutoCloseable {

    /** The registry's file name inside the vendor directory. */
    public static final String FILE_NAME = "registry.db";

    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    private static final int APPLICATION_ID = 0x494C4943;

    private static final String COLUMNS = "license_id, serial, order_id, customer_id, customer_name,"
            + " installation_id, features, seats, start_date, time_zone, term_months, grace_days, issued_at,"
            + " key_id, renewal_of, key_text";

    private static final String SCHEMA_V1 = """
            CREATE TABLE license (
                license_id      TEXT    PRIMARY KEY,
                serial          INTEGER NOT NULL CHECK (serial >= 1),
                order_id        TEXT    NOT NULL,
                customer_id     TEXT    NOT NULL,
                customer_name   TEXT    NOT NULL,
                installation_id TEXT    NOT NULL,
                features        TEXT    NOT NULL,
                seats           INTEGER NOT NULL,
                start_date      TEXT    NOT NULL,
                time_zone       TEXT    NOT NULL,
                term_months     INTEGER NOT NULL,
                grace_days      INTEGER NOT NULL,
                issued_at       TEXT    NOT NULL,
                key_id          TEXT    NOT NULL,
                renewal_of      TEXT    REFERENCES license (license_id),
                key_text        TEXT    NOT NULL,
                UNIQUE (installation_id, serial)
            );
            CREATE INDEX license_by_order ON license (order_id);
            CREATE INDEX license_by_renewal_of ON license (renewal_of);
            """;

    private final Path file;
    private final Connection connection;

    private LicenseRegistry(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the registry file, creating it with the current schema when it does not exist yet.
     *
     * @throws RegistryException when the file cannot be opened or is not a registry this version can read
     */
    public static LicenseRegistry open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw new RegistryException("cannot open the registry " + file + ": " + e.getMessage(), e);
        }
        LicenseRegistry registry = new LicenseRegistry(file, connection);
        try {
            registry.migrate();
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The registry file. */
    public Path file() {
        return file;
    }

    /** Every license issued, oldest first. */
    public List<RegisteredLicense> list() {
        try (PreparedStatement select = prepare("SELECT " + COLUMNS + " FROM license ORDER BY rowid")) {
            return rows(select);
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    /** The license with this ID, if the registry holds it. */
    public Optional<RegisteredLicense> find(String licenseId) {
        return single("SELECT " + COLUMNS + " FROM license WHERE license_id = ?", licenseId);
    }

    /** The license most recently issued for the order, renewals included, if any was. */
    public Optional<RegisteredLicense> latestOfOrder(String orderId) {
        return single("SELECT " + COLUMNS + " FROM license WHERE order_id = ? ORDER BY rowid DESC LIMIT 1", orderId);
    }

    /** The most recent renewal of the license, if it was renewed. */
    public Optional<RegisteredLicense> renewalOf(String licenseId) {
        return single(
                "SELECT " + COLUMNS + " FROM license WHERE renewal_of = ? ORDER BY rowid DESC LIMIT 1", licenseId);
    }

    /**
     * Runs {@code work} in one transaction that holds the registry's write lock throughout: everything it
     * records is committed together when it returns, and nothing is recorded when it throws.
     *
     * @throws IOException what {@code work} threw, after rolling back
     * @throws RegistryException when the registry cannot be read or written, including at commit
     */
    public <T> T write(Work<T> work) throws IOException {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failure("cannot start a transaction on", e);
        }
        try {
            T result = work.run(new Transaction());
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollback();
            throw failure("cannot write", e);
        } catch (IOException | RuntimeException | Error e) {
            rollback();
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw failure("cannot end a transaction on", e);
            }
        }
    }

    /** Closes the file. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("cannot close", e);
        }
    }

    /** What runs inside {@link #write(Work)}. */
    @FunctionalInterface
    public interface Work<T> {

        /** Reads and records through {@code transaction}; throwing rolls everything back. */
        T run(Transaction transaction) throws IOException, SQLException;
    }

    /** Reads and writes inside one {@link #write(Work)} transaction. */
    public final class Transaction {

        private Transaction() {}

        /** The highest serial issued for the installation, or 0 when none was. */
        public long highestSerial(InstallationId installationId) throws SQLException {
            try (PreparedStatement select =
                    prepare("SELECT coalesce(max(serial), 0) FROM license WHERE installation_id = ?")) {
                select.setString(1, installationId.value());
                try (ResultSet result = select.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        }

        /** The license most recently issued for the order, renewals included, if any was. */
        public Optional<RegisteredLicense> latestOfOrder(String orderId) {
            return LicenseRegistry.this.latestOfOrder(orderId);
        }

        /** The license with this ID, if the registry holds it. */
        public Optional<RegisteredLicense> find(String licenseId) {
            return LicenseRegistry.this.find(licenseId);
        }

        /** The most recent renewal of the license, if it was renewed. */
        public Optional<RegisteredLicense> renewalOf(String licenseId) {
            return LicenseRegistry.this.renewalOf(licenseId);
        }

        /** Records an issued license; it becomes visible to others when the transaction commits. */
        public void record(RegisteredLicense entry) throws SQLException {
            License license = entry.license();
            try (PreparedStatement insert = prepare("INSERT INTO license (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, license.licenseId());
                insert.setLong(2, license.serial());
                insert.setString(3, license.orderId());
                insert.setString(4, license.customer().id());
                insert.setString(5, license.customer().name());
                insert.setString(6, license.installationId().value());
                insert.setString(7, String.join(",", license.features()));
                insert.setInt(8, license.seats());
                insert.setString(9, license.startDate().toString());
                insert.setString(10, license.timeZone().getId());
                insert.setInt(11, license.termMonths());
                insert.setInt(12, license.graceDays());
                insert.setString(13, license.issuedAt().toString());
                insert.setString(14, license.keyId());
                insert.setString(15, entry.renewalOf().orElse(null));
                insert.setString(16, entry.keyText());
                insert.executeUpdate();
            }
        }
    }

    private void migrate() {
        try (Statement statement = connection.createStatement()) {
            int version = pragma(statement, "user_version");
            int application = pragma(statement, "application_id");
            if (version > SCHEMA_VERSION) {
                throw new RegistryException("the registry " + file + " has schema version " + version
                        + ", written by a newer innolicense; this one reads up to version " + SCHEMA_VERSION);
            }
            if (version == 0) {
                if (application != 0 || hasTables(statement)) {
                    throw new RegistryException(file + " is an SQLite database but not an innolicense registry");
                }
                connection.setAutoCommit(false);
                for (String sql : SCHEMA_V1.split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                statement.execute("PRAGMA application_id = " + APPLICATION_ID);
                statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                connection.commit();
                connection.setAutoCommit(true);
            } else if (application != APPLICATION_ID) {
                throw new RegistryException(file + " is an SQLite database but not an innolicense registry");
            }
        } catch (SQLException e) {
            rollback();
            throw failure("cannot open", e);
        }
    }

    private static int pragma(Statement statement, String name) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    private static boolean hasTables(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            return result.next() && result.getInt(1) > 0;
        }
    }

    private Optional<RegisteredLicense> single(String sql, String parameter) {
        try (PreparedStatement select = prepare(sql)) {
            select.setString(1, parameter);
            List<RegisteredLicense> rows = rows(select);
            return rows.stream().findFirst();
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    private List<RegisteredLicense> rows(PreparedStatement select) throws SQLException {
        List<RegisteredLicense> rows = new ArrayList<>();
        try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.add(row(result));
            }
        }
        return rows;
    }

    private RegisteredLicense row(ResultSet result) throws SQLException {
        String licenseId = result.getString("license_id");
        try {
            License license = new License(
                    licenseId,
                    result.getLong("serial"),
                    result.getString("key_id"),
                    new Customer(result.getString("customer_id"), result.getString("customer_name")),
                    result.getString("order_id"),
                    new InstallationId(result.getString("installation_id")),
                    new TreeSet<>(Arrays.asList(result.getString("features").split(","))),
                    result.getInt("seats"),
                    LocalDate.parse(result.getString("start_date")),
                    ZoneId.of(result.getString("time_zone")),
                    result.getInt("term_months"),
                    result.getInt("grace_days"),
                    Instant.parse(result.getString("issued_at")));
            return new RegisteredLicense(
                    license, result.getString("key_text"), Optional.ofNullable(result.getString("renewal_of")));
        } catch (RuntimeException e) {
            throw new RegistryException(
                    "the registry " + file + " holds a damaged row for license " + licenseId + ": " + e.getMessage(),
                    e);
        }
    }

    private void rollback() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // The original failure is what the caller needs to see; SQLite discards the transaction anyway.
        }
    }

    private RegistryException failure(String action, SQLException e) {
        return new RegistryException(action + " the registry " + file + ": " + e.getMessage(), e);
    }
}
