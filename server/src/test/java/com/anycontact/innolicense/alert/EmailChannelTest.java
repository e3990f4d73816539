package com.anycontact.innolicense.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.store.sqlite.SqliteAlertStore;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E-mail delivery against a real SMTP server (GreenMail, in this JVM, on free local ports): plain SMTP with
 * authentication, TLS from the first byte (SMTPS) with authentication, and the failures an operator meets: a
 * wrong password, no SMTP server set.
 */
class EmailChannelTest {

    private static final String USER = "alerts";
    private static final String PASSWORD = "correct smtp password";
    private static final long STARTUP_MILLIS = 30_000;
    private static final Instant T0 = Instant.parse("2027-03-02T09:00:00Z");

    @TempDir
    Path data;

    private GreenMail mail;
    private SqliteDatabase database;
    private SqliteAlertStore store;

    @BeforeEach
    void start() {
        ServerSetup smtp = ServerSetupTest.SMTP.dynamicPort();
        ServerSetup smtps = ServerSetupTest.SMTPS.dynamicPort();
        // the machine may be busy: a TLS server with a fresh key can take longer than the default 2 s to start
        smtp.setServerStartupTimeout(STARTUP_MILLIS);
        smtps.setServerStartupTimeout(STARTUP_MILLIS);
        mail = new GreenMail(new ServerSetup[] {smtp, smtps})
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", USER, PASSWORD));
        mail.start();
        database = SqliteDatabase.open(data);
        store = new SqliteAlertStore(database);
    }

    @AfterEach
    void stop() {
        mail.stop();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void send_overSmtpWithAuthentication_deliversTheAlert() throws Exception {
        store.saveSmtp(smtp(mail.getSmtp().getPort(), SmtpSettings.Security.NONE), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = new EmailChannel(store).send(delivery(), T0.getEpochSecond());

        assertThat(outcome.error()).isEmpty();
        assertThat(outcome.delivered()).isTrue();
        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("[innoACD Licensing] Grace period began (IACD-TEST)");
        assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(received[0].getFrom()[0].toString()).contains("licensing@example.com");
        assertThat(received[0].getHeader("X-Innolicense-Alert-Id")[0]).isEqualTo("msg_alrt_1_sub_1");
        assertThat(received[0].getContent().toString())
                .contains("grace began for L-1")
                .contains("licenseId: L-1");
    }

    @Test
    void send_overTls_deliversTheAlert() {
        store.saveSmtp(smtp(mail.getSmtps().getPort(), SmtpSettings.Security.TLS), Optional.of(PASSWORD));
        // GreenMail's certificate is self-signed for another name: trusted here only, never in the server
        EmailChannel channel = new EmailChannel(store, properties -> {
            properties.put("mail.smtps.ssl.trust", "*");
            properties.put("mail.smtps.ssl.checkserveridentity", "false");
        });

        AlertChannel.Outcome outcome = channel.send(delivery(), T0.getEpochSecond());

        assertThat(outcome.error()).isEmpty();
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void send_overTls_toAServerWhoseCertificateIsNotTrusted_fails() {
        store.saveSmtp(smtp(mail.getSmtps().getPort(), SmtpSettings.Security.TLS), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = new EmailChannel(store).send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void send_withAWrongPassword_failsAndSaysSo_withoutThePassword() {
        store.saveSmtp(smtp(mail.getSmtp().getPort(), SmtpSettings.Security.NONE), Optional.of("wrong password"));

        AlertChannel.Outcome outcome = new EmailChannel(store).send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow()).contains("127.0.0.1").doesNotContain("wrong password");
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void send_withoutAnSmtpServerSet_failsAndSaysWhereToSetIt() {
        AlertChannel.Outcome outcome = new EmailChannel(store).send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow()).contains("no SMTP server is set");
    }

    private static SmtpSettings smtp(int port, SmtpSettings.Security security) {
        return new SmtpSettings("127.0.0.1", port, security, Optional.of(USER), "licensing@example.com", false);
    }

    private static Delivery delivery() {
        Alert alert = new Alert(
                "alrt_1",
                "grace-began:L-1:1",
                AlertRule.GRACE_BEGAN,
                T0,
                "grace began for L-1",
                Map.of("installationId", "IACD-TEST", "licenseId", "L-1"));
        Subscription subscription =
                new Subscription("sub_1", "ops", Subscription.Channel.EMAIL, "ops@example.com", T0, "admin");
        return new Delivery(Delivery.idOf(alert, subscription), alert, subscription, 0, T0);
    }
}
