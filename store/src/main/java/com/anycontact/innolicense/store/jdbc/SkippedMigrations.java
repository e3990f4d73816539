package com.anycontact.innolicense.store.jdbc;

import com.anycontact.innolicense.store.StoreException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * The refusal of a database that lacks a migration older than its newest one (Flyway's {@code IGNORED} state), for
 * the embedded and the cluster database alike. Only a development build can have made one: two branches added
 * migrations, and the one with the lower numbers was merged after a build of the other had migrated a database.
 * Flyway would refuse it too, with its validation text and a link to its vendor's site; this says what is missing
 * and what to do, before anything is migrated.
 */
public final class SkippedMigrations {

    private SkippedMigrations() {}

    /**
     * Throws when the database skipped a migration.
     *
     * @param database the database, for the message (a file or a URL without credentials)
     * @param info Flyway's view of the database's migrations
     * @param madeByARelease what to use instead, e.g. "a database made by a release (restore a backup of one)"
     * @throws StoreException when a migration older than the database's newest was never applied to it
     */
    public static void refuse(String database, MigrationInfoService info, String madeByARelease) {
        List<MigrationInfo> skipped = Arrays.stream(info.all())
                .filter(migration -> migration.getState() == MigrationState.IGNORED)
                .toList();
        if (skipped.isEmpty()) {
            return;
        }
        boolean one = skipped.size() == 1;
        throw new StoreException(
                "the database " + database + " lacks schema migration" + (one ? " " : "s ")
                        + skipped.stream()
                                .map(migration -> migration.getVersion() + " (" + migration.getDescription() + ")")
                                .collect(Collectors.joining(", "))
                        + " though it has later ones (up to " + info.current().getVersion() + "): a development"
                        + " build made it before " + (one ? "that migration was" : "those were") + " merged, and no"
                        + " release makes such a database. It cannot be upgraded in place: use " + madeByARelease
                        + ", or start this one afresh; nothing was changed",
                null);
    }
}
