package com.anycontact.innolicense.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Server nodes of one cluster for a test ({@code @RegisterExtension}): before each test a fresh schema of the test
 * PostgreSQL ({@link TestPostgres}, the test skipped loudly without one) and a data directory; nodes started on it
 * with {@link RunningServer#config}'s settings, adjusted per node, on one {@link FakeTime}; after the test every
 * node still open is closed, the schema dropped and the directory deleted. What the cluster tests each set up by
 * hand before, in one place.
 */
final class ClusterFixture implements BeforeEachCallback, AfterEachCallback {

    /** The clock of every node, starting at {@link RunningServer#START}. */
    final FakeTime clock = new FakeTime(RunningServer.START);

    private final List<LicenseServer> nodes = new ArrayList<>();
    private TestPostgres database;
    private Path data;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        database = TestPostgres.create(context.getRequiredTestClass());
        data = Files.createTempDirectory("innolicense-cluster-test-");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        nodes.forEach(LicenseServer::close);
        nodes.clear();
        if (database != null) {
            database.close();
        }
        if (data != null) {
            try (Stream<Path> paths = Files.walk(data)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Starts a node with the test settings on the cluster database ({@link TestPostgres#FAKE_CLOCK}). */
    LicenseServer startNode() {
        return startNode(UnaryOperator.identity());
    }

    /** Starts a node as {@link #startNode()} does, its settings adjusted by {@code adjust} last. */
    LicenseServer startNode(UnaryOperator<ServerConfig.Builder> adjust) {
        ServerConfig config = adjust.apply(RunningServer.config(directory("node-" + nodes.size())).toBuilder()
                        .database(Optional.of(database.url()))
                        .cluster(TestPostgres.FAKE_CLOCK))
                .build();
        LicenseServer node = LicenseServer.open(
                config,
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        nodes.add(node);
        node.start();
        return node;
    }

    /** The nodes started and not stopped, in the order they started. */
    List<LicenseServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The cluster database of the test. */
    TestPostgres database() {
        return database;
    }

    /** Ticks every open node once (heartbeat, leadership, clock check). */
    void tickAll() {
        nodes.forEach(LicenseServer::tick);
    }

    /** Closes a node as a clean stop does: it leaves the registry. */
    void stop(LicenseServer node) {
        nodes.remove(node);
        node.close();
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(data.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
