package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.server.MovedToCluster;
import com.anycontact.innolicense.server.ServerConfig;
import com.anycontact.innolicense.server.ServerConfigLoader.Setting;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import com.anycontact.innolicense.store.postgres.PostgresDatabase;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import com.anycontact.innolicense.store.postgres.SqliteImport;
import com.anycontact.innolicense.store.sqlite.JournaledSeatStore;
import com.anycontact.innolicense.store.sqlite.SeatStoreLock;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteInstallationStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.sqlite.SQLiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code innolicense admin migrate}: moves an embedded installation into a cluster database. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Moves an embedded installation (the SQLite database in a server's data directory) into an empty"
                    + " PostgreSQL cluster database: the same installation ID, licenses, trusted-time mark, users,"
                    + " API tokens, audit log, usage history and leases. Then start every server node with"
                    + " --database URL.",
            "Stop the embedded server first. Works on the databases directly, not over HTTP. Refuses a database"
                    + " that already holds an installation, and changes nothing then. Afterwards the data directory"
                    + " holds a file, " + MovedToCluster.FILE_NAME + ", and an embedded server no longer starts on it"
                    + " (nor is it migrated again) until that file is deleted. The password is in the URL or"
                    + " in INNOLICENSE_DATABASE_PASSWORD; the URL may come from INNOLICENSE_DATABASE_URL."
        })
final class AdminMigrate implements Callable<Integer> {

    private final CliIo io;

    @Option(
            names = "--from-sqlite",
            required = true,
            paramLabel = "DIR",
            description = "The embedded server's data directory (holding " + SqliteDatabase.FILE_NAME + ").")
    Path from;

    @Option(
            names = "--database",
            paramLabel = "URL",
            description = "The cluster database: postgresql://USER@HOST:5432/DATABASE or jdbc:postgresql://….")
    String database;

    AdminMigrate(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        PostgresUrl url = url();
        Path file = from.resolve(SqliteDatabase.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw CommandFailure.refused("no embedded database at " + file
                    + ": --from-sqlite names the data directory of an embedded server");
        }
        io.out().println("Migrating the embedded installation in " + from + " into " + url);
        try (SeatStoreLock held = lockDirectory()) {
            MovedToCluster.reason(from).ifPresent(reason -> {
                throw CommandFailure.refused(reason + "; nothing was changed");
            });
            foldSeatJournal(held);
            io.out().println("embedded database: at the current schema, seat journal folded into the lease table");
            try (PostgresDatabase target = PostgresDatabase.open(url);
                    Connection source = readOnly(file)) {
                io.out().println("cluster database: schema ready");
                return switch (SqliteImport.run(
                        source, file.toString(), target, line -> io.out().println("copied " + line))) {
                    case SqliteImport.Result.Imported imported -> {
                        markMoved(imported.installationId(), url);
                        io.out()
                                .println("Done: installation " + imported.installationId() + " is now in " + url
                                        + ". Start every server node with --database. The data directory is no"
                                        + " longer used (keep it as a backup): an embedded server no longer starts"
                                        + " on it (" + from.resolve(MovedToCluster.FILE_NAME) + " says why).");
                        yield ExitCode.OK;
                    }
                    case SqliteImport.Result.Refused refused -> throw CommandFailure.refused(refused.reason());
                };
            }
        } catch (StoreException | StoreUnavailableException | DatabaseUnreachableException e) {
            // nothing of the copy was committed: it is one transaction
            throw CommandFailure.error(e.getMessage());
        } catch (SQLException e) {
            throw CommandFailure.error("cannot read the embedded database " + file + ": " + e.getMessage());
        }
    }

    /**
     * Holds the data directory for the whole command, as a running embedded server does, so that none starts on
     * it while the installation is copied (it would give out the seats the cluster is about to): a server
     * starting meanwhile finds the directory locked, and one starting afterwards finds the mark, which is written
     * before the lock is let go and read by the server only once it holds the lock.
     */
    private SeatStoreLock lockDirectory() {
        try {
            return SeatStoreLock.tryAcquire(from)
                    .orElseThrow(() -> CommandFailure.refused("a license server (or another admin command) is using "
                            + from + " (it holds " + SeatStoreLock.FILE_NAME + "): stop it first (systemctl stop"
                            + " innolicense); nothing was changed"));
        } catch (StoreException e) {
            throw CommandFailure.error("cannot use the data directory " + from + ": " + e.getMessage()
                    + "; run as the service user (e.g. sudo -u innolicense)");
        }
    }

    /**
     * Leaves the mark that keeps an embedded server off the moved installation. The copy is committed by then: a
     * failure here says so, and that the directory must not be served.
     */
    private void markMoved(String installationId, PostgresUrl url) {
        try {
            MovedToCluster.mark(from, installationId, url, io.env().clock().instant());
        } catch (IOException e) {
            throw CommandFailure.error("installation " + installationId + " is now in " + url + " (nothing to do"
                    + " again), but marking " + from + " as moved failed (" + e.getMessage() + "): do not start an"
                    + " embedded server on it, or the installation's seats are given out twice");
        }
    }

    private PostgresUrl url() {
        String text = database != null
                ? database
                : io.env().variable(Setting.DATABASE.variable()).orElse(null);
        if (text == null || text.isBlank()) {
            throw new CommandFailure(
                    ExitCode.USAGE,
                    "--database is required (or " + Setting.DATABASE.variable() + "): the cluster"
                            + " database to migrate into, e.g. postgresql://innolicense@db.example.com/innolicense");
        }
        try {
            return PostgresUrl.parse(text, io.env().variable(Setting.DATABASE_PASSWORD.variable()));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, "--database " + e.getMessage());
        }
    }

    /**
     * Opens the embedded database as its server would (migrating it to this release's schema) and closes the
     * seat store cleanly, which writes every lease of the journal into the lease table.
     */
    private void foldSeatJournal(SeatStoreLock held) {
        try (SqliteDatabase embedded = SqliteDatabase.open(from)) {
            Instant mark = new SqliteInstallationStore(embedded).trustedTimeMark();
            Instant now = io.env().clock().instant();
            JournaledSeatStore.open(embedded, now.isAfter(mark) ? now : mark, ServerConfig.DEFAULT_LEASE_TTL, held)
                    .close();
        }
    }

    private static Connection readOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    }
}
