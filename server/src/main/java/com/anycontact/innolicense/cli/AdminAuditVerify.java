package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.audit.AuditChainReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code innolicense admin audit verify}: checks the audit log's hash chain, on a running server (the whole chain,
 * from the archive anchor to the head) or in archive files, offline.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks the audit log's hash chain (docs/audit-log.md): every entry must carry the hash of the one before"
                    + " and its own content's hash, and the last must be the chain's head. Names the first entry that"
                    + " does not fit: one changed, removed or inserted by hand. Exit code 1 when the chain is broken.",
            "With --archive, checks archive files (audit-archive/*.jsonl in the data directory) offline instead, each"
                    + " on its own and, given in order, each against the one before."
        })
final class AdminAuditVerify implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CliIo io;

    @Mixin
    AdminConnection connection = new AdminConnection();

    @Option(
            names = "--archive",
            paramLabel = "FILE",
            arity = "1..*",
            description = "Archive files to check offline, oldest first; no server is asked.")
    List<Path> archives;

    @Option(names = "--json", description = "Print the server's JSON instead (not with --archive).")
    boolean json;

    AdminAuditVerify(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (archives != null) {
            return verifyArchives();
        }
        AdminClient.Answer answer = connection.client(io.env()).get("/api/v1/audit/verify");
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        JsonNode report = answer.json();
        if (json) {
            io.out().println(LicenseView.text(report));
        } else if (report.path("intact").asBoolean()) {
            io.out()
                    .println("The audit chain is intact: "
                            + report.path("entries").asLong() + " entries after entry "
                            + report.path("anchorId").asLong() + ", up to entry "
                            + report.path("lastId").asLong()
                            + ".");
            io.out().println("Head hash: " + report.path("lastHash").asText());
        } else {
            io.out()
                    .println("The audit chain is BROKEN at entry "
                            + report.path("firstBreak").path("id").asLong() + ": "
                            + report.path("firstBreak").path("problem").asText());
            io.out()
                    .println(report.path("entries").asLong() + " entries before it fit, up to entry "
                            + report.path("lastId").asLong() + ".");
        }
        return report.path("intact").asBoolean() ? ExitCode.OK : ExitCode.REFUSED;
    }

    private int verifyArchives() {
        String previousLast = null;
        long total = 0;
        for (Path file : archives) {
            Optional<AuditChainReport> report = verifyArchive(file, previousLast);
            if (report.isEmpty()) {
                io.out().println(file + ": empty");
                continue;
            }
            AuditChainReport found = report.get();
            if (!found.intact()) {
                AuditChainReport.Break broken = found.firstBreak().orElseThrow();
                io.out().println(file + ": BROKEN at entry " + broken.id() + ": " + broken.problem());
                return ExitCode.REFUSED;
            }
            io.out()
                    .println(file + ": intact, " + found.entries() + " entries up to entry " + found.lastId()
                            + ", last hash " + found.lastHash());
            total += found.entries();
            previousLast = found.lastHash();
        }
        io.out().println("All " + archives.size() + " archive files verify: " + total + " entries.");
        return ExitCode.OK;
    }

    /**
     * Checks one archive: each line's hash against its content and the hash before it; the first line against
     * the last hash of the archive before, when one was given.
     */
    private static Optional<AuditChainReport> verifyArchive(Path file, String previousLast) {
        AuditChain.Verifier verifier = null;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                AuditChain.Entry entry = entry(file, number, line);
                if (verifier == null) {
                    String anchor = previousLast != null
                            ? previousLast
                            : entry.prevHash() == null ? AuditChain.GENESIS : entry.prevHash();
                    verifier = AuditChain.verifier(entry.id() - 1, anchor);
                }
                verifier.accept(entry);
            }
        } catch (IOException e) {
            throw CommandFailure.error("cannot read the archive " + file + ": " + e.getMessage());
        }
        return verifier == null ? Optional.empty() : Optional.of(verifier.finish(Optional.empty()));
    }

    private static AuditChain.Entry entry(Path file, int number, String line) {
        try {
            JsonNode event = JSON.readTree(line);
            if (!event.path("id").canConvertToLong()
                    || !event.path("at").isTextual()
                    || !event.path("actor").isTextual()
                    || !event.path("type").isTextual()
                    || !event.path("detail").isTextual()) {
                throw new IOException("it lacks id, at, actor, type or detail");
            }
            return new AuditChain.Entry(
                    event.path("id").asLong(),
                    Instant.parse(event.path("at").asText()).toEpochMilli(),
                    event.path("actor").asText(),
                    event.path("type").asText(),
                    event.path("detail").asText(),
                    event.path("prevHash").isTextual() ? event.path("prevHash").asText() : null,
                    event.path("hash").isTextual() ? event.path("hash").asText() : null);
        } catch (IOException | DateTimeException e) {
            throw CommandFailure.refused("line " + number + " of the archive " + file
                    + " is not an audit event as the server writes them: " + e.getMessage());
        }
    }
}
