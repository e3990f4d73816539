package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;

/**
 * The ZooKeeper peer: Apache Curator's {@link InterProcessSemaphoreV2} on a ZooKeeper server run
 * in this process by curator-test's {@link TestingServer} (a standalone server with its transaction
 * log in a temporary directory, {@code forceSync=yes}: every write is fsync'd before it is acked).
 *
 * <ul>
 *   <li>A claim is {@code acquire(wait)}: the recipe takes an inter-process mutex, creates an
 *       ephemeral sequential lease node, counts the lease nodes and gives the lease back if there
 *       are too many. The mutex is itself a queue of nodes, so the recipe cannot try without
 *       waiting: with no wait a claim fails whenever another claim holds the mutex. A claim here
 *       waits up to {@code claimWait}; a denial is a claim that timed out.
 *   <li>A lease lives as long as the client's ZooKeeper session (an ephemeral node), not per agent:
 *       a renewal is recorded as a write of the new expiry into the agent's lease node ({@code
 *       setData}), which is what a per-agent heartbeat takes on ZooKeeper.
 *   <li>A release deletes the lease node.
 * </ul>
 */
final class ZooKeeperArbiter implements SeatArbiter {

    static final String NAME = "zookeeper";

    private static final AtomicInteger ROUNDS = new AtomicInteger();

    private final TestingServer server;
    private final CuratorFramework client;
    private final long claimWaitMillis;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private volatile InterProcessSemaphoreV2 semaphore;
    private volatile String leasesPath;

    /** Starts the in-process ZooKeeper server and connects to it. */
    ZooKeeperArbiter(Duration claimWait) throws Exception {
        this.claimWaitMillis = claimWait.toMillis();
        this.server = new TestingServer(true);
        this.client = CuratorFrameworkFactory.newClient(
                server.getConnectString(), 60_000, 15_000, new ExponentialBackoffRetry(100, 3));
        client.start();
        if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
            close();
            throw new IOException("could not connect to the in-process ZooKeeper at " + server.getConnectString());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Durability durability() {
        return new Durability(Durability.Survives.POWER_LOSS, "txn log fsync'd per write; lease ends with the session");
    }

    @Override
    public void reset(int capacity) {
        String path = "/innolicense-bench/seats-" + ROUNDS.incrementAndGet();
        leases.clear();
        leasesPath = ZKPaths.makePath(path, "leases");
        semaphore = new InterProcessSemaphoreV2(client, path, capacity);
    }

    @Override
    public boolean claim(String agent) throws Exception {
        Lease lease = semaphore.acquire(claimWaitMillis, TimeUnit.MILLISECONDS);
        if (lease == null) {
            return false;
        }
        leases.put(agent, lease);
        return true;
    }

    @Override
    public boolean renew(String agent) throws Exception {
        Lease lease = leases.get(agent);
        if (lease == null) {
            return false;
        }
        byte[] expiry = ByteBuffer.allocate(Long.BYTES)
                .putLong(System.currentTimeMillis() + LEASE_TTL_MILLIS)
                .array();
        client.setData().forPath(ZKPaths.makePath(leasesPath, lease.getNodeName()), expiry);
        return true;
    }

    @Override
    public void release(String agent) throws IOException {
        Lease lease = leases.remove(agent);
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
