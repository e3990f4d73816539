package com.anycontact.innolicense.server;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.license.InstallationId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A license server started in this JVM on a free port, with fake time (system clock and ticker) and the test
 * vendor trusted.
 */
final class RunningServer implements AutoCloseable {

    static final String ADMIN_TOKEN = "test-bootstrap-admin-token-0123456789-abcdef";
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final Instant START = Instant.parse("2027-01-15T09:00:00Z");
    static final LocalDate LICENSE_START = LocalDate.parse("2026-12-01");

    final FakeTime clock;
    final LicenseServer server;
    final Api api;
    final Path dataDirectory;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private boolean closed;

    private RunningServer(Path dataDirectory, FakeTime clock, ServerConfig config) {
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.server = LicenseServer.open(
                config, clock, clock.ticker(), new PrintStream(console, true, StandardCharsets.UTF_8));
        this.api = new Api(server.start());
    }

    static RunningServer start(Path dataDirectory) {
        return start(dataDirectory, new FakeTime(START));
    }

    static RunningServer start(Path dataDirectory, FakeTime clock) {
        return new RunningServer(dataDirectory, clock, config(dataDirectory));
    }

    static RunningServer start(Path dataDirectory, FakeTime clock, ServerConfig config) {
        return new RunningServer(dataDirectory, clock, config);
    }

    static ServerConfig config(Path dataDirectory) {
        return ServerConfig.of("127.0.0.1", 0, dataDirectory, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.of(ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(ADMIN_TOKEN))
                .build();
    }

    InstallationId installation() {
        return server.installationId();
    }

    /** A key for this installation, starting {@link #LICENSE_START}. */
    String key(long serial, int seats) {
        return TestVendor.key(installation(), serial, seats, LICENSE_START);
    }

    /** Applies a key as the admin and requires it to be applied. */
    void apply(long serial, int seats) {
        Api.Reply reply = api.postText("/api/v1/license", ADMIN_TOKEN, key(serial, seats));
        if (reply.status() != 200) {
            throw new AssertionError("applying the key failed: " + reply.status() + " " + reply.body());
        }
    }

    /** Creates an API token with the role and returns its secret. */
    String token(String role) {
        Api.Reply reply = api.postJson(
                "/api/v1/tokens", ADMIN_TOKEN, "{\"name\": \"test " + role + "\", \"role\": \"" + role + "\"}");
        if (reply.status() != 201) {
            throw new AssertionError("creating a token failed: " + reply.status() + " " + reply.body());
        }
        return reply.json().path("token").asText();
    }

    void tick() {
        server.tick();
    }

    List<AuditEvent> audited(AuditEvent.Type type) {
        return server.audit().find(AuditQuery.newest(100).withType(type));
    }

    /** Stops the server; a second call does nothing (a test may stop it before its fixture does). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }
}
