package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.server.Durations;
import com.anycontact.innolicense.simulator.LoadPattern;
import com.anycontact.innolicense.simulator.ProgressPrinter;
import com.anycontact.innolicense.simulator.Simulation;
import com.anycontact.innolicense.simulator.SimulationSettings;
import java.io.Console;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code innolicense simulate}: simulated agents against a license server, through the Java SDK. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Plays simulated agents against a license server through the Java SDK: they log in (claim a seat),"
                    + " take breaks (release and claim again), log out, retry with backoff when denied, and a few"
                    + " crash without logging out, so that the server reaps their seats.",
            "",
            "A progress line on standard error shows the elapsed time, agents holding a seat / capacity, claims,"
                    + " renewals, releases, denials, crashes, lost leases and errors. At the end (--duration or"
                    + " Ctrl-C) every seat is released except those of crashed agents, and a summary is printed."
                    + " docs/simulator.md describes the patterns."
        })
final class SimulateCommand implements Callable<Integer> {

    private static final Duration TERMINAL_EVERY = Duration.ofSeconds(1);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final CliIo io;

    @Option(
            names = "--server",
            paramLabel = "URL",
            split = ",",
            description = "The license server (default: INNOLICENSE_SERVER, else http://127.0.0.1:8080); for a"
                    + " cluster, its nodes, comma-separated or the flag repeated: the SDK fails over between them.")
    List<String> server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "An API token with role ACD (default: INNOLICENSE_TOKEN).")
    String token;

    @Option(names = "--agents", paramLabel = "N", description = "How many agents (default: 50).")
    int agents = 50;

    @Option(
            names = "--pattern",
            paramLabel = "PATTERN",
            description = "shift (ramp up, breaks, ramp down), steady (stable with churn) or burst (shift changes"
                    + " that exceed capacity); default: shift.")
    String pattern = "shift";

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "How long to run: 90s, 10m, 8h, PT1H (default: 10m).")
    String duration = "10m";

    @Option(
            names = "--crash-rate",
            paramLabel = "P",
            description = "The chance, 0 to 1, that a stretch of work ends in a crash (default: 0.02).")
    double crashRate = 0.02;

    @Option(
            names = "--agent-prefix",
            paramLabel = "PREFIX",
            description = "The agents' IDs are this and a number (default: sim-agent-, so sim-agent-0001). Give"
                    + " each simulation that shares a server its own.")
    String agentPrefix = SimulationSettings.DEFAULT_AGENT_PREFIX;

    @Option(names = "--seed", paramLabel = "N", description = "Repeats the agents' choices of an earlier run.")
    Long seed;

    SimulateCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration runFor = Durations.parse(duration)
                .filter(d -> d.compareTo(SimulationSettings.MIN_CYCLE) >= 0)
                .orElseThrow(
                        () -> usage("--duration: '" + duration + "' is not " + Durations.EXPECTED + " of at least 1s"));
        LoadPattern loadPattern = Arrays.stream(LoadPattern.values())
                .filter(p -> p.label().equals(pattern.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> usage("--pattern: '" + pattern + "' is not one of "
                        + Arrays.stream(LoadPattern.values())
                                .map(LoadPattern::label)
                                .collect(Collectors.joining(", "))));
        if (agents < 1 || agents > SimulationSettings.MAX_AGENTS) {
            throw usage("--agents must be 1 to " + SimulationSettings.MAX_AGENTS + ", not " + agents);
        }
        if (!(crashRate >= 0 && crashRate <= 1)) {
            throw usage("--crash-rate must be 0 to 1, not " + crashRate);
        }
        List<URI> serverUrls = serverUrls();
        String acdToken = Optional.ofNullable(token)
                .or(() -> io.env().variable(AdminClient.TOKEN_VARIABLE))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .orElseThrow(() -> usage("an API token with role ACD is needed: give one with --token or "
                        + AdminClient.TOKEN_VARIABLE));
        long chosenSeed = seed != null ? seed : new SecureRandom().nextLong();
        SimulationSettings settings;
        try {
            settings = SimulationSettings.of(agents, loadPattern, runFor, crashRate, chosenSeed)
                    .withAgentPrefix(agentPrefix);
        } catch (IllegalArgumentException e) {
            throw usage("--agent-prefix: " + e.getMessage());
        }

        Simulation simulation;
        try {
            simulation = Simulation.start(serverUrls, acdToken, settings);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintStream err = TerminalOutput.unescaped(io.err());
        err.printf(
                "simulating %d agents (%s pattern, seed %d) against %s for %s; Ctrl-C ends early%n",
                agents,
                loadPattern.label(),
                chosenSeed,
                serverUrls.stream().map(URI::toString).collect(Collectors.joining(", ")),
                Durations.format(runFor));
        boolean terminal = err == System.err && stderrIsTerminal();
        ProgressPrinter printer =
                ProgressPrinter.start(simulation, err, terminal, terminal ? TERMINAL_EVERY : LOG_EVERY, "");
        Ending finish = new Ending(simulation, printer, err);
        Thread hook = Thread.ofPlatform().name("innolicense-simulate-shutdown").unstarted(finish);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            simulation.awaitEnd(runFor);
        } finally {
            finish.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook waits for the summary printed here, or prints it itself
            }
        }
        Optional<String> failure = simulation.failure();
        if (failure.isPresent()) {
            throw CommandFailure.error("the simulation stopped: " + failure.get());
        }
        return ExitCode.OK;
    }

    /**
     * Stops the simulation and prints the summary, once: at the end of the run, or from the shutdown hook on
     * Ctrl-C. Whichever thread comes second waits until the first has printed, so that the JVM does not halt
     * halfway through the summary.
     */
    private static final class Ending implements Runnable {

        private final Simulation simulation;
        private final ProgressPrinter printer;
        private final PrintStream err;
        private boolean done;

        Ending(Simulation simulation, ProgressPrinter printer, PrintStream err) {
            this.simulation = simulation;
            this.printer = printer;
            this.err = err;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            simulation.stop();
            printer.close();
            simulation.summary().forEach(err::println);
            err.flush();
        }
    }

    private List<URI> serverUrls() {
        List<String> texts = server != null && !server.isEmpty()
                ? server
                : List.of(io.env()
                        .variable(AdminClient.SERVER_VARIABLE)
                        .orElse(AdminClient.DEFAULT_SERVER)
                        .split(","));
        List<URI> urls = new ArrayList<>();
        for (String each : texts) {
            String text = each.strip();
            try {
                urls.add(new URI(text));
            } catch (URISyntaxException e) {
                throw usage("'" + text + "' is not a server URL; use e.g. " + AdminClient.DEFAULT_SERVER);
            }
        }
        return urls;
    }

    private static CommandFailure usage(String message) {
        return new CommandFailure(ExitCode.USAGE, message);
    }

    /** Whether standard error is likely a terminal: the console is one (JDK 22+ says so; JDK 21 has none else). */
    private static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
