package com.anycontact.innolicense.license;

import java.time.Instant;
import java.util.function.Supplier;

/** An installation store in two fields, for tests. */
final class InMemoryInstallationStore implements InstallationStore {

    private InstallationId installationId;
    private Instant mark = Instant.EPOCH;

    @Override
    public synchronized InstallationId installationId(Supplier<InstallationId> create) {
        if (installationId == null) {
            installationId = create.get();
        }
        return installationId;
    }

    @Override
    public synchronized Instant trustedTimeMark() {
        return mark;
    }

    @Override
    public synchronized void saveTrustedTimeMark(Instant newMark) {
        if (newMark.isAfter(mark)) {
            mark = newMark;
        }
    }
}
