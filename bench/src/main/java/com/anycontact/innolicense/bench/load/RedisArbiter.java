package com.anycontact.innolicense.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.redisson.Redisson;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The Redis peer: Redisson's {@link RPermitExpirableSemaphore} on a {@code redis-server}. A claim
 * is {@code tryAcquire} with no wait and a lease time of the TTL (one Lua script that drops
 * expired permits and takes one), a renewal {@code updateLeaseTime}, a release {@code release}. The
 * permit ID of each agent is kept in this process, as an application using the semaphore would.
 *
 * <p>What an acked claim survives depends on how the server was started: with persistence off, the
 * usual deployment for this, nothing; with {@code appendfsync everysec} a process crash (the write
 * is in the OS before the reply) but up to a second is lost on power loss; with {@code appendfsync
 * always} a power loss.
 */
final class RedisArbiter implements SeatArbiter {

    private static final AtomicInteger ROUNDS = new AtomicInteger();

    private final String name;
    private final Durability durability;
    private final RedissonClient redisson;
    private final Map<String, String> permits = new ConcurrentHashMap<>();
    private volatile RPermitExpirableSemaphore semaphore;

    /**
     * Connects to a Redis server.
     *
     * @param name the arbiter's name in reports
     * @param durability what the server's persistence settings make an acked claim survive
     * @param url the server, e.g. {@code redis://127.0.0.1:6390}
     * @param connections the size of the connection pool: the most concurrent clients
     */
    RedisArbiter(String name, Durability durability, String url, int connections) {
        this.name = name;
        this.durability = durability;
        Config config = new Config();
        config.useSingleServer()
                .setAddress(url)
                .setConnectionPoolSize(Math.max(connections, 8))
                .setConnectionMinimumIdleSize(Math.max(connections, 8));
        this.redisson = Redisson.create(config);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Durability durability() {
        return durability;
    }

    @Override
    public void reset(int capacity) {
        RPermitExpirableSemaphore fresh = redisson.getPermitExpirableSemaphore(
                "innolicense-bench-seats-" + ProcessHandle.current().pid() + "-" + ROUNDS.incrementAndGet());
        if (!fresh.trySetPermits(capacity)) {
            throw new IllegalStateException("the semaphore " + fresh.getName() + " already existed");
        }
        permits.clear();
        semaphore = fresh;
    }

    @Override
    public boolean claim(String agent) throws InterruptedException {
        String permit = semaphore.tryAcquire(0, LEASE_TTL_MILLIS, TimeUnit.MILLISECONDS);
        if (permit == null) {
            return false;
        }
        permits.put(agent, permit);
        return true;
    }

    @Override
    public boolean renew(String agent) {
        String permit = permits.get(agent);
        return permit != null && semaphore.updateLeaseTime(permit, LEASE_TTL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void release(String agent) {
        String permit = permits.remove(agent);
        if (permit != null) {
            semaphore.tryRelease(permit);
        }
    }

    @Override
    public void close() {
        redisson.shutdown();
    }
}
