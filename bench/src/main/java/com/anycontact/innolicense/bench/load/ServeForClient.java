package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Our server for a load generator other than {@link LoadRun} ({@code wrk}, see {@code scripts/bench-wrk}): starts
 * the server as {@link LoadRun} does, applies a license of {@code --capacity} seats, prints one line {@code
 * BASE_URL ACD_TOKEN PID} and keeps the server running until its standard input closes, then stops it.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar com.anycontact.innolicense.bench.load.ServeForClient
 * --capacity 32 --server-jar server/target/innolicense.jar --work-dir /tmp/x}
 */
@Command(
        name = "ServeForClient",
        mixinStandardHelpOptions = true,
        description = "Runs our server with a license of the given seats for another load generator.")
public final class ServeForClient implements Callable<Integer> {

    @Option(names = "--capacity", defaultValue = "1000", description = "seats (default ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--server-jar", defaultValue = "server/target/innolicense.jar")
    Path serverJar;

    @Option(names = "--work-dir", required = true, description = "a fresh directory for the server's data and log")
    Path workDirectory;

    @Option(
            names = "--server-heap",
            defaultValue = "512m",
            description = "the server's -Xmx (default ${DEFAULT-VALUE})")
    String serverHeap;

    @Option(names = "--pid-dir", description = "where to note the server's PID, for a script to clean up")
    Path pidDirectory;

    /** Runs it; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeForClient()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Files.createDirectories(workDirectory);
        try (ServerProcess server = ServerProcess.start(
                serverJar,
                workDirectory,
                Duration.ofMillis(SeatArbiter.LEASE_TTL_MILLIS),
                List.of("-Xmx" + serverHeap),
                pidDirectory)) {
            server.applyLicense(capacity);
            System.out.println(server.base() + " " + server.acdToken() + " " + server.pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the standard input closes
            }
        }
        return 0;
    }
}
