package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Argon2PasswordHasher;
import com.anycontact.innolicense.access.InvalidInput;
import com.anycontact.innolicense.access.PasswordChange;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.User;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.sqlite.SeatStoreLock;
import com.anycontact.innolicense.store.sqlite.SqliteAuditLog;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteTokenStore;
import com.anycontact.innolicense.store.sqlite.SqliteUserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code innolicense admin recover}: a new password for a user, set offline in the data directory, for whoever
 * has lost every admin password and token but has the host. Refused while a server holds the data directory.
 */
@Command(
        name = "recover",
        mixinStandardHelpOptions = true,
        description = {
            "Sets a new password for a user directly in the data directory, without a server: the way back in"
                    + " when the admin password is lost. Run it on the server's host as the service user (e.g."
                    + " sudo -u innolicense), with the server stopped: it refuses while a server holds the"
                    + " data directory. Audited as PASSWORD_CHANGED by 'recover (offline, OS user NAME)'.",
            "The password comes from INNOLICENSE_NEW_USER_PASSWORD, else it is asked twice without echo."
        })
final class AdminRecover implements Callable<Integer> {

    private final CliIo io;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The server's data directory.")
    Path dataDir;

    @Option(names = "--user", required = true, paramLabel = "USERNAME", description = "The user, e.g. admin.")
    String user;

    AdminRecover(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(dataDir.resolve(SqliteDatabase.FILE_NAME))) {
            throw CommandFailure.error("no database in " + dataDir + " (no " + SqliteDatabase.FILE_NAME
                    + "): give the server's data directory with --data-dir, e.g. /var/lib/innolicense");
        }
        try (SeatStoreLock held = lock()) {
            char[] password = UserPasswords.forUser(io.env(), user);
            try (SqliteDatabase database = SqliteDatabase.open(dataDir)) {
                return change(database, password);
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (StoreException e) {
            throw CommandFailure.error(e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
        }
    }

    private SeatStoreLock lock() {
        try {
            return SeatStoreLock.tryAcquire(dataDir)
                    .orElseThrow(() -> CommandFailure.error("a license server is running on " + dataDir + " (it holds "
                            + SeatStoreLock.FILE_NAME + "): stop it first (systemctl stop innolicense), or, while it"
                            + " runs, sign in with another admin user or token and use 'admin user password'"));
        } catch (StoreException e) {
            throw CommandFailure.error("cannot use the data directory " + dataDir + ": " + e.getMessage()
                    + "; run as the service user (e.g. sudo -u innolicense)");
        }
    }

    private int change(SqliteDatabase database, char[] password) {
        SqliteUserStore users = new SqliteUserStore(database);
        AccessService access = new AccessService(
                users,
                new SqliteTokenStore(database),
                new Argon2PasswordHasher(),
                io.env().clock(),
                LicenseServer.auditSink(new SqliteAuditLog(database)));
        String actor = "recover (offline, OS user " + System.getProperty("user.name", "unknown") + ")";
        PasswordChange change =
                access.changePassword(user, password, new Principal(actor, Role.ADMIN, Principal.Kind.USER, actor));
        return switch (change) {
            case PasswordChange.Changed changed -> {
                io.err()
                        .println("Set a new password for user '" + user + "' in " + dataDir
                                + " (audited); start the server and sign in with it.");
                yield ExitCode.OK;
            }
            case PasswordChange.UnknownUser unknown ->
                throw CommandFailure.refused("no user '" + user + "' in " + dataDir + "; the users are: "
                        + users.list().stream().map(User::username).collect(Collectors.joining(", ")));
            case InvalidInput invalid -> throw CommandFailure.refused(invalid.message());
        };
    }
}
