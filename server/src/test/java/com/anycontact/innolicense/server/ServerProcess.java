package com.anycontact.innolicense.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code innolicense server} from {@code target/innolicense.jar} in a process of its own, on
 * 127.0.0.1 and a free port unless told otherwise, its standard output and error collected line by line.
 */
final class ServerProcess {

    private static final Path JAR = Path.of("target", "innolicense.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(output ended: " + e + ")");
            }
        });
    }

    /**
     * Starts {@code innolicense server --host 127.0.0.1 --port 0 --data-dir DATA} and the extra arguments
     * (with {@code --port 0} unless they name a port), with the variables added to this process's environment.
     */
    static ServerProcess start(Path data, Map<String, String> variables, String... more) throws IOException {
        return start(List.of(), data, variables, more);
    }

    /**
     * Starts the server as {@link #start(Path, Map, String...)} does, with SIGINT handled by default as in a
     * terminal, where Ctrl-C sends it. A process started in the background by a non-interactive shell (a CI job
     * run with {@code &}, say) inherits SIGINT ignored, which the JVM then leaves ignored; Perl, part of every
     * Debian system, resets it before it starts the JVM.
     */
    static ServerProcess startAsFromATerminal(Path data) throws IOException {
        return start(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\""), data, Map.of());
    }

    private static ServerProcess start(List<String> prefix, Path data, Map<String, String> variables, String... more)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                JAR.toString(),
                "server",
                "--host",
                "127.0.0.1",
                "--data-dir",
                data.toString()));
        command.addAll(List.of(more));
        if (!command.contains("--port")) {
            command.addAll(List.of("--port", "0"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putIfAbsent("INNOLICENSE_ADMIN_PASSWORD", "a long admin password");
        builder.environment().putAll(variables);
        return new ServerProcess(builder.start());
    }

    Process process() {
        return process;
    }

    /** The lines printed so far. */
    List<String> output() {
        return List.copyOf(output);
    }

    /** Every line, once the process has ended. */
    List<String> awaitOutput() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return output();
    }

    /** Waits for the startup line and returns the port it names. */
    int awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ": " + output);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server printed no URL within 90 s: " + output);
    }

    /** Ends the process at once, if it still runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
