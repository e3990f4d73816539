package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.license.VendorSigningKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust anchor end to end: the vendor's production keys are built in and the only keys trusted unless the
 * operator names development keys, which mark the server as on development trust everywhere; and stored
 * licenses are verified again at every load, so a row forged into the database or a key no longer trusted is
 * ignored, audited and shown.
 */
class TrustAnchorTest {

    private static final String LICENSE = "/api/v1/license";
    private static final LocalDate START = RunningServer.LICENSE_START;

    /** Stands in for the vendor's production key, whose private half never leaves the vendor. */
    private static final VendorSigningKey PRODUCTION = VendorSigningKey.generate("anycontact-test-1");

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private final List<LicenseServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(LicenseServer::close);
    }

    private Api start(List<VendorPublicKey> developmentTrust) {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, developmentTrust).toBuilder()
                .adminPassword(Optional.of(RunningServer.ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .build();
        LicenseServer server = LicenseServer.open(
                config,
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                List.of(PRODUCTION.publicKey()));
        servers.add(server);
        return new Api(server.start());
    }

    private void restart() {
        servers.removeLast().close();
    }

    private LicenseServer server() {
        return servers.getLast();
    }

    private String productionKey(long serial, int seats) {
        return new LicenseSigner(PRODUCTION)
                .sign(TestVendor.license(server().installationId(), serial, seats, START, PRODUCTION.keyId()));
    }

    private JsonNode status(Api api) {
        return api.get(LICENSE, RunningServer.ADMIN_TOKEN).json();
    }

    private List<AuditEvent> audited(AuditEvent.Type type) {
        return server().audit().find(AuditQuery.newest(100).withType(type));
    }

    @Test
    void onProductionTrust_aKeySignedWithTheCustomersOwnKey_isRejected_andTheBuiltInKeyIsAccepted() {
        Api api = start(List.of());

        Api.Reply own = api.postText(
                LICENSE, RunningServer.ADMIN_TOKEN, TestVendor.key(server().installationId(), 1, 100_000, START));
        assertThat(own.status()).isEqualTo(422);
        assertThat(own.json().path("reason").asText()).isEqualTo("UNKNOWN_KEY_ID");

        Api.Reply vendor = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(1, 50));
        assertThat(vendor.status()).isEqualTo(200);
        JsonNode status = status(api);
        assertThat(status.path("capacity").asInt()).isEqualTo(50);
        assertThat(status.path("trust").path("mode").asText()).isEqualTo("PRODUCTION");
        assertThat(status.path("trust").path("keys"))
                .extracting(key ->
                        key.path("keyId").asText() + "/" + key.path("source").asText())
                .containsExactly(PRODUCTION.keyId() + "/PRODUCTION");
        assertThat(status.path("ignoredLicenses")).isEmpty();
        assertThat(Api.sample(api.get("/metrics", RunningServer.ADMIN_TOKEN).body(), "innolicense_development_trust"))
                .isZero();
        assertThat(audited(AuditEvent.Type.DEVELOPMENT_TRUST)).isEmpty();
    }

    @Test
    void onDevelopmentTrust_theStatusMetricsAndAuditLogSaySo_atEveryStart() {
        Api api = start(List.of(TestVendor.publicKey()));

        assertThat(api.postText(
                                LICENSE,
                                RunningServer.ADMIN_TOKEN,
                                TestVendor.key(server().installationId(), 1, 10, START))
                        .status())
                .isEqualTo(200);
        JsonNode trust = status(api).path("trust");
        assertThat(trust.path("mode").asText()).isEqualTo("DEVELOPMENT");
        assertThat(trust.path("keys"))
                .extracting(key ->
                        key.path("keyId").asText() + "/" + key.path("source").asText())
                .containsExactly(PRODUCTION.keyId() + "/PRODUCTION", TestVendor.KEY_ID + "/DEVELOPMENT");
        assertThat(Api.sample(api.get("/metrics", RunningServer.ADMIN_TOKEN).body(), "innolicense_development_trust"))
                .isEqualTo(1.0);
        assertThat(audited(AuditEvent.Type.DEVELOPMENT_TRUST))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).contains(TestVendor.KEY_ID));

        restart();
        start(List.of(TestVendor.publicKey()));
        assertThat(audited(AuditEvent.Type.DEVELOPMENT_TRUST)).hasSize(2);
    }

    @Test
    void aDevelopmentKeyWithTheKeyIdOfABuiltInKey_isRefusedAtStartup() {
        VendorPublicKey impostor = VendorSigningKey.generate(PRODUCTION.keyId()).publicKey();

        assertThatThrownBy(() -> start(List.of(impostor)))
                .isInstanceOf(StartupRefused.class)
                .hasMessageContaining("development-trust")
                .hasMessageContaining("has the key ID of a built-in production key");
    }

    @Test
    void aLicenseAcceptedOnDevelopmentTrust_isIgnoredAfterARestartWithoutIt_auditedOncePerStart_andBlocksNothing() {
        Api api = start(List.of(TestVendor.publicKey()));
        assertThat(api.postText(
                                LICENSE,
                                RunningServer.ADMIN_TOKEN,
                                TestVendor.key(server().installationId(), 900, 100_000, START))
                        .status())
                .isEqualTo(200);
        assertThat(status(api).path("capacity").asInt()).isEqualTo(100_000);

        restart();
        api = start(List.of());
        server().tick();
        server().tick();

        JsonNode status = status(api);
        assertThat(status.path("state").asText()).isEqualTo("UNLICENSED");
        assertThat(status.path("capacity").asInt()).isEqualTo(2);
        assertThat(status.path("ignoredLicenses")).singleElement().satisfies(ignored -> {
            assertThat(ignored.path("serial").asLong()).isEqualTo(900);
            assertThat(ignored.path("licenseId").asText()).isEqualTo("LIC-900");
            assertThat(ignored.path("reason").asText()).isEqualTo("UNKNOWN_KEY_ID");
        });
        assertThat(audited(AuditEvent.Type.LICENSE_IGNORED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("LIC-900", "UNKNOWN_KEY_ID"));

        Api.Reply vendor = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(1, 20));
        assertThat(vendor.status()).as(vendor.body()).isEqualTo(200);
        assertThat(status(api).path("capacity").asInt()).isEqualTo(20);
        assertThat(audited(AuditEvent.Type.LICENSE_IGNORED)).hasSize(1);

        restart();
        start(List.of());
        assertThat(audited(AuditEvent.Type.LICENSE_IGNORED)).hasSize(2);
    }

    @Test
    void aRowForgedIntoTheDatabaseWithMoreSeats_isIgnored_andTheGenuineLicenseStaysInForce() throws SQLException {
        Api api = start(List.of());
        assertThat(api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(1, 10))
                        .status())
                .isEqualTo(200);
        InstallationId installation = server().installationId();
        restart();

        // The customer writes a key of their own making, with the production key ID and 1000 seats, into the table.
        VendorSigningKey forger = VendorSigningKey.generate(PRODUCTION.keyId());
        String forged =
                new LicenseSigner(forger).sign(TestVendor.license(installation, 2, 1_000, START, PRODUCTION.keyId()));
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("innolicense.db"));
                PreparedStatement insert = sql.prepareStatement(
                        "INSERT INTO applied_license (serial, license_id, key_text, applied_at, applied_by)"
                                + " VALUES (2, 'LIC-2', ?, 0, 'admin')")) {
            insert.setString(1, forged);
            insert.executeUpdate();
        }

        api = start(List.of());

        JsonNode status = status(api);
        assertThat(status.path("capacity").asInt()).isEqualTo(10);
        assertThat(status.path("license").path("serial").asLong()).isEqualTo(1);
        assertThat(status.path("ignoredLicenses")).singleElement().satisfies(ignored -> {
            assertThat(ignored.path("serial").asLong()).isEqualTo(2);
            assertThat(ignored.path("reason").asText()).isEqualTo("BAD_SIGNATURE");
        });
        assertThat(audited(AuditEvent.Type.LICENSE_IGNORED)).hasSize(1);
        assertThat(Api.sample(api.get("/metrics", RunningServer.ADMIN_TOKEN).body(), "innolicense_license_ignored"))
                .isEqualTo(1.0);
        Api.Reply next = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(3, 12));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
    }

    @Test
    void aStoredKeyDamagedInTheDatabase_isIgnoredAtStart_auditedAndShown_andTheServerServes() throws SQLException {
        Api api = start(List.of());
        assertThat(api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(1, 10))
                        .status())
                .isEqualTo(200);
        assertThat(api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(2, 20))
                        .status())
                .isEqualTo(200);
        restart();

        // A hand edit cuts the stored key of serial 2 short, so that it no longer decodes at all.
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("innolicense.db"));
                PreparedStatement update = sql.prepareStatement(
                        "UPDATE applied_license SET key_text = substr(key_text, 1, 40) WHERE serial = 2")) {
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        api = start(List.of());

        JsonNode status = status(api);
        assertThat(status.path("capacity").asInt()).isEqualTo(10);
        assertThat(status.path("license").path("serial").asLong()).isEqualTo(1);
        assertThat(status.path("ignoredLicenses")).singleElement().satisfies(ignored -> {
            assertThat(ignored.path("serial").asLong()).isEqualTo(2);
            assertThat(ignored.path("licenseId").asText()).isEqualTo("LIC-2");
            assertThat(ignored.path("reason").asText()).isEqualTo("MALFORMED");
            assertThat(ignored.path("message").asText()).startsWith("the stored key no longer decodes");
        });
        assertThat(audited(AuditEvent.Type.LICENSE_IGNORED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("LIC-2", "MALFORMED", "no longer decodes"));
        Api.Reply sameSerial = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(2, 20));
        assertThat(sameSerial.status()).as(sameSerial.body()).isEqualTo(422);
        Api.Reply next = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, productionKey(3, 12));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(status(api).path("capacity").asInt()).isEqualTo(12);
    }
}
