package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin alerts …} against a real server in this JVM, a real local webhook receiver and a real SMTP server. */
class AdminAlertsCommandsTest {

    private static final String ADMIN_TOKEN = "cli-test-bootstrap-admin-token-0123456789";
    private static final String SMTP_PASSWORD = "smtp password of the alerts user";

    @TempDir
    Path data;

    private LicenseServer server;
    private HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();
    private final CliRunner cli = new CliRunner();

    @BeforeEach
    void start() throws Exception {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of()).toBuilder()
                .adminPassword(Optional.of("a long admin password"))
                .bootstrapToken(Optional.of(ADMIN_TOKEN))
                .build();
        server = LicenseServer.open(
                config,
                InstantSource.fixed(Instant.parse("2027-01-15T09:00:00Z")),
                () -> 0L,
                new PrintStream(new ByteArrayOutputStream()));
        int port = server.start();
        cli.variables.put("INNOLICENSE_SERVER", "http://127.0.0.1:" + port);
        cli.variables.put("INNOLICENSE_TOKEN", ADMIN_TOKEN);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        server.close();
    }

    @Test
    void rules_areListed_andOneIsSet() {
        CliRunner.Result set = cli.run("admin", "alerts", "rule", "USAGE_HIGH", "--percent", "80", "--minutes", "5");
        CliRunner.Result off = cli.run("admin", "alerts", "rule", "clock_jump", "--off");
        CliRunner.Result rules = cli.run("admin", "alerts", "rules");

        assertThat(set.exitCode()).as(set.all()).isZero();
        assertThat(set.out()).contains("USAGE_HIGH on, 80 % for 5 min");
        assertThat(off.out()).contains("CLOCK_JUMP off");
        assertThat(rules.out())
                .contains("LICENSE_EXPIRING")
                .contains("days 30,14,7,1")
                .contains("CLOCK_JUMP");
    }

    @Test
    void rule_withAThresholdOutOfRange_isRefusedAndSaysWhich() {
        CliRunner.Result refused = cli.run("admin", "alerts", "rule", "USAGE_HIGH", "--percent", "0");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("percent").contains("1 to 100");
    }

    @Test
    void aWebhook_isSubscribed_tested_logged_andUnsubscribed() {
        CliRunner.Result subscribed = cli.run(
                "admin",
                "alerts",
                "subscribe",
                "--name",
                "ops hook",
                "--webhook",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        assertThat(subscribed.exitCode()).as(subscribed.all()).isZero();
        assertThat(subscribed.out().strip()).startsWith("whsec_");
        String id = subscribed.err().replaceAll("(?s).*Created subscription (sub_[0-9a-f]+).*", "$1");

        CliRunner.Result test = cli.run("admin", "alerts", "test", id);
        CliRunner.Result log = cli.run("admin", "alerts", "deliveries", id);
        CliRunner.Result list = cli.run("admin", "alerts", "subscriptions");

        assertThat(test.exitCode()).as(test.all()).isZero();
        assertThat(test.out()).contains("delivered (204)");
        assertThat(received.get()).isEqualTo(1);
        assertThat(log.out()).contains("TEST").contains("DELIVERED");
        assertThat(list.out()).contains(id).contains("ops hook").doesNotContain("whsec_");

        assertThat(cli.run("admin", "alerts", "unsubscribe", id).exitCode()).isZero();
        assertThat(cli.run("admin", "alerts", "subscriptions").out()).doesNotContain(id);
    }

    @Test
    void aSubscription_takesTheRulesGiven_andTheyAreChangedAndListed() {
        CliRunner.Result subscribed = cli.run(
                "admin",
                "alerts",
                "subscribe",
                "--name",
                "renewals",
                "--email",
                "ops@example.com",
                "--rules",
                "license_expiring,GRACE_BEGAN");
        assertThat(subscribed.exitCode()).as(subscribed.all()).isZero();
        String id = subscribed.out().strip();

        assertThat(cli.run("admin", "alerts", "subscriptions").out())
                .contains(id)
                .contains("LICENSE_EXPIRING,GRACE_BEGAN");

        CliRunner.Result changed = cli.run("admin", "alerts", "subscription-rules", id, "--rules", "DENIAL");
        assertThat(changed.exitCode()).as(changed.all()).isZero();
        assertThat(changed.out()).contains(id + " takes the rules DENIAL");

        CliRunner.Result every = cli.run("admin", "alerts", "subscription-rules", id, "--all");
        assertThat(every.out()).contains(id + " takes every rule");
        assertThat(cli.run("admin", "alerts", "subscriptions").out())
                .contains(id)
                .contains(" all ");
    }

    @Test
    void subscriptionRules_withAnUnknownRule_isRefusedAndNamesTheRules() {
        CliRunner.Result refused = cli.run(
                "admin", "alerts", "subscribe", "--name", "x", "--email", "ops@example.com", "--rules", "SEATS_LOW");
        CliRunner.Result neither = cli.run("admin", "alerts", "subscription-rules", "sub_0000000000000000");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("rules").contains("SEATS_LOW").contains("USAGE_HIGH");
        assertThat(neither.exitCode()).isNotZero();
        assertThat(neither.err()).contains("--rules").contains("--all");
    }

    @Test
    void theSmtpServer_isSet_withoutShowingThePassword_andAnEmailTestIsDelivered() {
        ServerSetup smtp = ServerSetupTest.SMTP.dynamicPort();
        smtp.setServerStartupTimeout(30_000);
        GreenMail mail = new GreenMail(smtp)
                .withConfiguration(
                        GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", SMTP_PASSWORD));
        mail.start();
        try {
            cli.variables.put(AdminAlerts.SMTP_PASSWORD_VARIABLE, SMTP_PASSWORD);
            CliRunner.Result set = cli.run(
                    "admin",
                    "alerts",
                    "smtp",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(mail.getSmtp().getPort()),
                    "--security",
                    "none",
                    "--username",
                    "alerts",
                    "--from",
                    "licensing@example.com",
                    "--password");
            assertThat(set.exitCode()).as(set.all()).isZero();
            assertThat(set.out()).contains("as alerts").contains("password set").doesNotContain(SMTP_PASSWORD);
            assertThat(cli.run("admin", "alerts", "smtp", "--json").out()).doesNotContain(SMTP_PASSWORD);

            CliRunner.Result subscribed =
                    cli.run("admin", "alerts", "subscribe", "--name", "ops", "--email", "ops@example.com");
            String id = subscribed.out().strip();
            CliRunner.Result test = cli.run("admin", "alerts", "test", id);

            assertThat(test.exitCode()).as(test.all()).isZero();
            assertThat(mail.getReceivedMessages()).hasSize(1);
        } finally {
            mail.stop();
        }
    }
}
