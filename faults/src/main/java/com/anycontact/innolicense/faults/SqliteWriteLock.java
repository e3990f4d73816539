package com.anycontact.innolicense.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A foreign process holding SQLite's write lock: opens the database, takes the lock with {@code BEGIN IMMEDIATE}
 * (waiting up to 30 s for it), prints {@code locked}, holds it for the given time, rolls back and prints {@code
 * released}. Run by the harness as its own process, as a backup tool or an operator's {@code sqlite3} would be:
 *
 * <pre>
 * java -cp server/target/innolicense.jar:faults/target/classes \
 *     com.anycontact.innolicense.faults.SqliteWriteLock data/innolicense.db 8000
 * </pre>
 */
public final class SqliteWriteLock {

    private SqliteWriteLock() {}

    /**
     * Holds the lock.
     *
     * @param args the database file and the milliseconds to hold the lock for
     */
    public static void main(String[] args) throws SQLException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: SqliteWriteLock DATABASE MILLIS");
            System.exit(2);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 30000");
            statement.execute("BEGIN IMMEDIATE");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Duration.ofMillis(Long.parseLong(args[1])));
            statement.execute("ROLLBACK");
            System.out.println("released");
        }
    }
}
