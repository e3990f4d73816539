package com.anycontact.innolicense.server;

import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.license.LicenseState;
import com.anycontact.innolicense.license.TrustMode;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.seat.SeatStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's meters, in one Prometheus registry per server: the seat counters (kept by {@link
 * MeteredSeatStore}), gauges of seats and license read at each scrape, and the JVM and process basics.
 * {@code docs/operations.md} lists every meter.
 *
 * <p>Cost of a scrape: one count of live leases in the database; the license gauges read the license
 * service's in-memory status.
 */
final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry, scraped by {@code GET /metrics} and fed by the HTTP request timer. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The store, counting every claim, renewal, denial, refused renewal, release and reaped lease. */
    SeatStore metered(SeatStore store) {
        return new MeteredSeatStore(store, registry);
    }

    /** Registers the gauges of seats and license. */
    void gauges(LicenseService licenses, SeatLedger ledger) {
        Gauge.builder("innolicense.seats.in.use", ledger, SeatLedger::inUse)
                .description("Live leases now")
                .strongReference(true)
                .register(registry);
        Gauge.builder("innolicense.seats.capacity", ledger, SeatLedger::capacity)
                .description("Seats usable now: the licensed seats, or 2 in UNLICENSED, PENDING and DEMO")
                .strongReference(true)
                .register(registry);
        for (LicenseState state : LicenseState.values()) {
            Gauge.builder(
                            "innolicense.license.state",
                            licenses,
                            service -> service.status().state() == state ? 1 : 0)
                    .description("1 for the license state now, 0 for the others")
                    .tag("state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder(
                        "innolicense.development.trust",
                        licenses,
                        service -> service.trust().mode() == TrustMode.DEVELOPMENT ? 1 : 0)
                .description("1 when keys given with --development-trust are accepted (development or evaluation"
                        + " only), 0 on the vendor's production keys alone")
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        "innolicense.license.ignored",
                        licenses,
                        service -> service.ignored().size())
                .description("Stored licenses left out because they did not verify when loaded")
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        "innolicense.license.days.remaining",
                        licenses,
                        service -> service.status().daysRemaining())
                .description("Whole days left in ACTIVE (to the end) or GRACE (to the grace end), else 0")
                .strongReference(true)
                .register(registry);
    }

    /** Registers the meters of the cluster bus. */
    void clusterBus(ClusterEvents cluster) {
        Gauge.builder("innolicense.cluster.listening", cluster, c -> c.stats().listening() ? 1 : 0)
                .description("1 while this node listens to the other nodes' notifications, 0 while it cannot")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(
                        "innolicense.cluster.messages.sent",
                        cluster,
                        c -> c.stats().sent())
                .description("Messages sent to the other nodes (pg_notify)")
                .register(registry);
        FunctionCounter.builder(
                        "innolicense.cluster.messages.received",
                        cluster,
                        c -> c.stats().received())
                .description("Messages received from the other nodes")
                .register(registry);
        FunctionCounter.builder(
                        "innolicense.cluster.messages.dropped",
                        cluster,
                        c -> c.stats().dropped())
                .description("Messages that could not be sent (queue full, database unreachable)")
                .register(registry);
        FunctionCounter.builder(
                        "innolicense.cluster.listener.reconnects",
                        cluster,
                        c -> c.stats().reconnects())
                .description("Times the listening connection was opened again after it was lost")
                .register(registry);
        FunctionCounter.builder("innolicense.cluster.resyncs", cluster, ClusterEvents::resyncs)
                .description("Times this node read the shared state again after notifications may have been lost,"
                        + " its first start included")
                .register(registry);
    }

    /**
     * Registers the cluster gauges, on the cluster database only: {@code innolicense_cluster_leader} (1 while
     * this node leads), {@code innolicense_cluster_serving} (1 while it answers seat calls) and {@code
     * innolicense_cluster_clock_offset_seconds} (its clock minus the database's, as last measured; NaN before the
     * first measurement). Read from memory at each scrape.
     */
    void cluster(Cluster cluster, boolean clustered) {
        if (!clustered) {
            return;
        }
        Gauge.builder("innolicense.cluster.leader", cluster, c -> c.leads() ? 1 : 0)
                .description("1 while this node leads the cluster (does the singleton work), else 0")
                .register(registry);
        Gauge.builder(
                        "innolicense.cluster.serving",
                        cluster,
                        c -> c.seatRefusal().isEmpty() ? 1 : 0)
                .description("1 while this node answers seat calls (its clock agrees with the database's), else 0")
                .register(registry);
        Gauge.builder(
                        "innolicense.cluster.clock.offset",
                        cluster,
                        c -> c.clockOffset()
                                .map(offset -> offset.toNanos() / 1e9)
                                .orElse(Double.NaN))
                .baseUnit("seconds")
                .description("This node's clock minus the cluster database's, as last measured")
                .register(registry);
    }

    /** Stops listening for garbage collections and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
