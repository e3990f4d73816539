package com.anycontact.innolicense.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a simulation's {@link Progress#line()} at a fixed interval on a daemon thread of its own: on a
 * terminal, one line rewritten in place with {@code \r}; otherwise a new line each time.
 */
public final class ProgressPrinter implements AutoCloseable {

    private final Simulation simulation;
    private final PrintStream out;
    private final boolean inPlace;
    private final String prefix;
    private final ScheduledExecutorService scheduler;
    private int lastLength;
    private boolean closed;

    private ProgressPrinter(Simulation simulation, PrintStream out, boolean inPlace, String prefix) {
        this.simulation = simulation;
        this.out = out;
        this.inPlace = inPlace;
        this.prefix = prefix;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("innolicense-simulator-progress")
                .daemon(true)
                .factory());
    }

    /**
     * Starts printing.
     *
     * @param inPlace rewrite one line with {@code \r} (for a terminal) rather than print a line each time
     * @param every how often
     * @param prefix printed before each line, e.g. {@code "demo agents: "}
     */
    public static ProgressPrinter start(
            Simulation simulation, PrintStream out, boolean inPlace, Duration every, String prefix) {
        ProgressPrinter printer = new ProgressPrinter(simulation, out, inPlace, prefix);
        printer.scheduler.scheduleAtFixedRate(
                printer::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return printer;
    }

    /** Stops printing; on a terminal, prints the last state of the line and ends it. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (inPlace) {
                write(simulation.progress().line());
                out.println();
                out.flush();
            }
        }
    }

    private synchronized void print() {
        if (closed) {
            return;
        }
        String line = simulation.progress().line();
        if (inPlace) {
            write(line);
            out.flush();
        } else {
            out.println(prefix + line);
        }
    }

    private void write(String line) {
        String text = prefix + line;
        int padding = Math.max(0, lastLength - text.length());
        out.print("\r" + text + " ".repeat(padding));
        lastLength = text.length();
    }
}
