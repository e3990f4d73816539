package com.anycontact.innolicense.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.store.sqlite.SqliteAlertStore;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * E-mail delivery over STARTTLS and implicit TLS against a real SMTP server (SubEthaSMTP, in this JVM, on a free
 * local port) whose certificate a private certificate authority issued ({@link TestCertificates}). The channel
 * trusts that authority the way the server trusts one an administrator added to its trust store (docs/alerts.md,
 * "A private certificate authority"), with the host name checked. GreenMail, used by {@link EmailChannelTest},
 * cannot offer STARTTLS.
 */
class EmailChannelStartTlsTest {

    private static final String USER = "alerts";
    private static final String PASSWORD = "correct smtp password";
    private static final Instant T0 = Instant.parse("2027-03-02T09:00:00Z");

    @TempDir
    Path data;

    private TestCertificates authority;
    private SMTPServer server;
    private SqliteDatabase database;
    private SqliteAlertStore store;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> logins = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws GeneralSecurityException {
        authority = TestCertificates.newAuthority();
        database = SqliteDatabase.open(data);
        store = new SqliteAlertStore(database);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.stop();
        }
        database.close();
    }

    @Test
    void send_overStartTls_withAuthentication_deliversTheAlertInsideTls() throws Exception {
        server = start(smtpServer().enableTLS().requireTLS().startTlsSocketFactory(trustedServerContext()));
        store.saveSmtp(smtp(SmtpSettings.Security.STARTTLS), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = trustingTheAuthority().send(delivery(), T0.getEpochSecond());

        assertThat(outcome.error()).isEmpty();
        assertThat(outcome.delivered()).isTrue();
        assertThat(logins).containsExactly(USER + " over TLS");
        assertThat(received)
                .singleElement()
                .satisfies(message -> assertThat(message)
                        .contains("Subject: [innoACD Licensing] Grace period began (IACD-TEST)")
                        .contains("X-Innolicense-Alert-Id: msg_alrt_1_sub_1")
                        .contains("grace began for L-1"));
    }

    @Test
    void send_overStartTls_toAServerThatDoesNotOfferIt_failsAndSendsNothingInPlainText() throws Exception {
        server = start(smtpServer());
        store.saveSmtp(smtp(SmtpSettings.Security.STARTTLS), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = trustingTheAuthority().send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow())
                .startsWith("sending to localhost:" + server.getPortAllocated() + " failed")
                .contains("STARTTLS")
                .doesNotContain(PASSWORD);
        assertThat(logins).as("the password never crossed the plain connection").isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void send_overStartTls_toAServerWhoseCertificateIsNotTrusted_fails() throws Exception {
        server = start(smtpServer().enableTLS().requireTLS().startTlsSocketFactory(trustedServerContext()));
        store.saveSmtp(smtp(SmtpSettings.Security.STARTTLS), Optional.of(PASSWORD));

        // the server as shipped: the JVM's trust store, which does not hold the test authority
        AlertChannel.Outcome outcome = new EmailChannel(store).send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow()).contains("certification path");
        assertThat(logins).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void send_overStartTls_toAServerWhoseCertificateNamesAnotherHost_fails() throws Exception {
        SSLContext otherHost = authority.serverContext("mail.example.com", null);
        server = start(smtpServer().enableTLS().requireTLS().startTlsSocketFactory(otherHost));
        store.saveSmtp(smtp(SmtpSettings.Security.STARTTLS), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = trustingTheAuthority().send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow()).contains("localhost");
        assertThat(logins).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void send_overTls_withAuthentication_deliversTheAlert() throws Exception {
        server = start(smtpServer().serverSocketFactory(trustedServerContext()));
        store.saveSmtp(smtp(SmtpSettings.Security.TLS), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = trustingTheAuthority().send(delivery(), T0.getEpochSecond());

        assertThat(outcome.error()).isEmpty();
        assertThat(logins).containsExactly(USER + " over TLS");
        assertThat(received)
                .singleElement()
                .satisfies(message -> assertThat(message).contains("grace began for L-1"));
    }

    @Test
    void send_overTls_toAServerWhoseCertificateIsNotTrusted_fails() throws Exception {
        server = start(smtpServer().serverSocketFactory(trustedServerContext()));
        store.saveSmtp(smtp(SmtpSettings.Security.TLS), Optional.of(PASSWORD));

        AlertChannel.Outcome outcome = new EmailChannel(store).send(delivery(), T0.getEpochSecond());

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow()).contains("certification path");
        assertThat(received).isEmpty();
    }

    private SSLContext trustedServerContext() throws GeneralSecurityException {
        return authority.serverContext("localhost", "127.0.0.1");
    }

    /**
     * The channel trusting the test authority only, with the server's host name checked as always: what a trust
     * store holding the authority gives the server (Jakarta Mail's socket factory for STARTTLS and for SMTPS).
     */
    private EmailChannel trustingTheAuthority() throws GeneralSecurityException {
        SSLSocketFactory client = authority.clientContext().getSocketFactory();
        return new EmailChannel(store, properties -> {
            properties.put("mail.smtp.ssl.socketFactory", client);
            properties.put("mail.smtps.ssl.socketFactory", client);
        });
    }

    private SMTPServer.Builder smtpServer() {
        return SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .requireAuth()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(this::login))
                .simpleMessageListener(new SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream message) throws IOException {
                        received.add(new String(message.readAllBytes(), StandardCharsets.UTF_8));
                    }
                });
    }

    private void login(String username, String password, MessageContext context) throws LoginFailedException {
        if (!USER.equals(username) || !PASSWORD.equals(password)) {
            throw new LoginFailedException();
        }
        logins.add(username + (((Session) context).isTLSStarted() ? " over TLS" : " in plain text"));
    }

    private static SMTPServer start(SMTPServer.Builder builder) {
        SMTPServer server = builder.build();
        server.start();
        return server;
    }

    private SmtpSettings smtp(SmtpSettings.Security security) {
        return new SmtpSettings(
                "localhost", server.getPortAllocated(), security, Optional.of(USER), "licensing@example.com", false);
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
