package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

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

    private final Map<UsageAggregate.Level, TreeMap<LocalDate, UsageAggregate>> aggregates =
            new EnumMap<>(UsageAggregate.Level.class);
    private final TreeMap<LocalDate, TreeSet<String>> agents = new TreeMap<>();

    @Override
    public synchronized void saveAggregates(
            UsageAggregate.Level level, List<UsageAggregate> added, LocalDate dropBefore) {
        TreeMap<LocalDate, UsageAggregate> stored = aggregates.computeIfAbsent(level, l -> new TreeMap<>());
        for (UsageAggregate aggregate : added) {
            stored.put(aggregate.first(), aggregate);
        }
        stored.headMap(dropBefore).clear();
    }

    @Override
    public synchronized List<UsageAggregate> aggregates(UsageAggregate.Level level, LocalDate from, LocalDate to) {
        return new ArrayList<>(
                aggregates.getOrDefault(level, new TreeMap<>()).subMap(from, to).values());
    }

    @Override
    public synchronized void saveAgents(LocalDate day, Collection<String> added) {
        agents.computeIfAbsent(day, d -> new TreeSet<>()).addAll(added);
    }

    @Override
    public synchronized int distinctAgents(LocalDate from, LocalDate to) {
        TreeSet<String> distinct = new TreeSet<>();
        agents.subMap(from, to).values().forEach(distinct::addAll);
        return distinct.size();
    }

    @Override
    public synchronized boolean hasAgents(LocalDate from, LocalDate to) {
        return !agents.subMap(from, to).isEmpty();
    }

    @Override
    public synchronized void dropAgents(LocalDate day) {
        agents.headMap(day).clear();
    }
}
