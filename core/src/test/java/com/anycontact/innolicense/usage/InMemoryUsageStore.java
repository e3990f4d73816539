package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A usage store in memory that counts its writes. */
final class InMemoryUsageStore implements UsageStore {

    private final TreeMap<Instant, UsageMinute> minutes = new TreeMap<>();
    int saves;

    @Override
    public synchronized void save(List<UsageMinute> added, Instant dropBefore) {
        saves++;
        for (UsageMinute minute : added) {
            minutes.merge(minute.start(), minute, UsageMinute::merge);
        }
        minutes.headMap(dropBefore).clear();
    }

    @Override
    public synchronized List<UsageMinute> minutes(Instant from, Instant to) {
        return new ArrayList<>(minutes.subMap(from, to).values());
    }

    @Override
    public synchronized UsageTotals totals(Instant from, Instant to) {
        UsageTotals totals = UsageTotals.NONE;
        for (UsageMinute minute : minutes.subMap(from, to).values()) {
            totals = totals.plus(minute);
        }
        return totals;
    }
}
