package com.anycontact.innolicense.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the vendor command line in-process with a fixed clock, given environment, standard input and prompt answers. */
final class CliRunner {

    static final String PASSPHRASE = "correct horse battery staple";
    static final Instant NOW = Instant.parse("2026-11-20T09:30:00Z");
    static final Path EXAMPLE_ORDER = Path.of("..", "docs", "examples", "order.json");

    final Map<String, String> variables = new HashMap<>(Map.of(Passphrases.VARIABLE, PASSPHRASE));
    final Deque<String> promptAnswers = new ArrayDeque<>();
    final List<String> prompts = new ArrayList<>();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    boolean terminal;
    String stdin = "";

    /** The outcome of one run: exit code and everything written. */
    record Result(int exitCode, String out, String err) {

        String all() {
            return out + err;
        }
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PassphrasePrompt prompt = text -> {
            prompts.add(text);
            return terminal ? Optional.of(promptAnswers.removeFirst().toCharArray()) : Optional.empty();
        };
        CliEnvironment env = new CliEnvironment(
                variables, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), prompt, clock);
        int exitCode = InnolicenseVendor.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
