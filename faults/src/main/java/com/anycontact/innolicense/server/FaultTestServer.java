package com.anycontact.innolicense.server;

import com.anycontact.innolicense.faults.SteppedClock;
import com.anycontact.innolicense.seat.SeatStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * The license server as the fault suite needs it beyond {@code innolicense server}: with a wall clock the harness
 * steps ({@code --clock-file FILE}, a {@link SteppedClock} handed to {@link LicenseServer#open} as its time
 * source, where libfaketime slows the JVM too much), and, for the suite's self-test, with a deliberately broken
 * seat store ({@code --broken-store off-by-one}) that the checker must catch. It takes the server's own flags
 * ({@code --host}, {@code --port}, {@code --data-dir}, the trust flag, {@code --lease-ttl}) after its own, and
 * runs until killed:
 *
 * <pre>
 * java -cp server/target/innolicense.jar:faults/target/classes \
 *     com.anycontact.innolicense.server.FaultTestServer --broken-store off-by-one --port 8080 ...
 * </pre>
 *
 * <p>It lives in the server's package only to reach {@link LicenseServer#openWithSeatStore}, the one
 * package-private seam that wraps the seat store; nothing of it is in the server's jar.
 */
public final class FaultTestServer {

    /** The broken stores on offer, by name. */
    static final Map<String, UnaryOperator<SeatStore>> BROKEN_STORES = Map.of("off-by-one", OffByOneSeatStore::new);

    private FaultTestServer() {}

    /**
     * Runs the server until the process is stopped.
     *
     * @param args {@code --broken-store NAME}, then the server's flags
     */
    public static void main(String[] args) throws InterruptedException {
        String broken = null;
        InstantSource clock = InstantSource.system();
        int i = 0;
        while (i + 1 < args.length && (args[i].equals("--broken-store") || args[i].equals("--clock-file"))) {
            if (args[i].equals("--broken-store")) {
                broken = args[i + 1];
                if (!BROKEN_STORES.containsKey(broken)) {
                    usage();
                }
            } else {
                clock = SteppedClock.following(Path.of(args[i + 1]));
            }
            i += 2;
        }
        Map<ServerConfigLoader.Setting, List<String>> flags = new EnumMap<>(ServerConfigLoader.Setting.class);
        for (; i < args.length; i += 2) {
            String flag = args[i];
            ServerConfigLoader.Setting setting = settingOf(flag);
            if (i + 1 >= args.length) {
                System.err.println("error: " + flag + " needs a value");
                System.exit(2);
            }
            flags.computeIfAbsent(setting, s -> new ArrayList<>()).add(args[i + 1]);
        }
        ServerConfig config = switch (ServerConfigLoader.load(flags, System.getenv(), Optional.empty())) {
            case ServerConfigLoader.Result.Loaded loaded -> loaded.config();
            case ServerConfigLoader.Result.Invalid invalid -> {
                invalid.problems().forEach(problem -> System.err.println("error: " + problem));
                System.exit(2);
                yield null;
            }
        };
        LicenseServer server = broken == null
                ? LicenseServer.open(config, clock, System.out)
                : LicenseServer.openWithSeatStore(config, clock, System.out, BROKEN_STORES.get(broken));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        server.start();
        System.out.println("FaultTestServer: seat store " + (broken == null ? "as built" : "broken as '" + broken + "'")
                + ", wall clock " + (clock instanceof SteppedClock ? "stepped by the harness" : "the system's"));
        stopped.await();
    }

    private static void usage() {
        System.err.println("usage: FaultTestServer [--broken-store " + String.join("|", BROKEN_STORES.keySet())
                + "] [--clock-file FILE] [server flags]");
        System.exit(2);
    }

    /** The setting of a server flag, found by the flag's name so that renamed flags keep working here. */
    private static ServerConfigLoader.Setting settingOf(String flag) {
        for (ServerConfigLoader.Setting setting : ServerConfigLoader.Setting.values()) {
            if (setting.flag().filter(flag::equals).isPresent()) {
                return setting;
            }
        }
        System.err.println("error: unknown flag " + flag);
        System.exit(2);
        throw new AssertionError();
    }
}
