package com.anycontact.innolicense.server;

import com.anycontact.innolicense.seat.SeatStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A license server with a deliberately broken seat store, for the fault-injection suite's self-test: the suite
 * must report violations against it, or its checker proves nothing. It takes the server's own flags ({@code
 * --host}, {@code --port}, {@code --data-dir}, the trust flag, {@code --lease-ttl}) after {@code --broken-store
 * NAME}, and runs until killed:
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
        if (args.length < 2 || !args[0].equals("--broken-store") || !BROKEN_STORES.containsKey(args[1])) {
            System.err.println("usage: FaultTestServer --broken-store " + String.join("|", BROKEN_STORES.keySet())
                    + " [server flags]");
            System.exit(2);
        }
        Map<ServerConfigLoader.Setting, List<String>> flags = new EnumMap<>(ServerConfigLoader.Setting.class);
        for (int i = 2; i < args.length; i += 2) {
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
        LicenseServer server =
                LicenseServer.openWithSeatStore(config, InstantSource.system(), System.out, BROKEN_STORES.get(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        server.start();
        System.out.println("FaultTestServer: seat store broken as '" + args[1] + "'");
        stopped.await();
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
