package com.anycontact.innolicense.license;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A license store in a list, for tests. It counts its reads, so tests can see what reads the store. */
final class InMemoryLicenseStore implements LicenseStore {

    private final List<AppliedLicense> licenses = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public synchronized StoredLicenses read() {
        reads.incrementAndGet();
        return new StoredLicenses(
                licenses.stream()
                        .sorted(Comparator.comparingLong(
                                applied -> applied.license().serial()))
                        .toList(),
                List.of());
    }

    @Override
    public synchronized void add(AppliedLicense applied) {
        long serial = applied.license().serial();
        if (licenses.stream().anyMatch(stored -> stored.license().serial() == serial)) {
            throw new IllegalArgumentException("serial " + serial + " is already stored");
        }
        licenses.add(applied);
    }

    /** How often the store was read. */
    int reads() {
        return reads.get();
    }
}
