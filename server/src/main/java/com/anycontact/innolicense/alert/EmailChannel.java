package com.anycontact.innolicense.alert;

import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.MailerRegularBuilder;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Delivers alerts by e-mail through the SMTP server set in AC Admin ({@link SmtpSettings}), with Simple Java
 * Mail: STARTTLS that must succeed, TLS from the first byte, or plain (a local relay), with authentication when a
 * user name is set. Certificates are checked against the JVM's trust store and the host name. One connection
 * per message; the server accepting it delivers it. The password is read from the store for each message and
 * never logged.
 */
public final class EmailChannel implements AlertChannel {

    /** How long the SMTP server has to connect and answer each step, in milliseconds. */
    public static final int TIMEOUT_MILLIS = 20_000;

    private final AlertStore store;
    private final Consumer<Properties> tuning;

    /** A channel sending through the SMTP server the store names. */
    public EmailChannel(AlertStore store) {
        this(store, properties -> {});
    }

    /**
     * A channel whose Jakarta Mail session properties are tuned further before each message: for tests against a
     * local SMTP server whose certificate a test authority issued (its socket factory), or a self-signed one.
     */
    EmailChannel(AlertStore store, Consumer<Properties> tuning) {
        this.store = Objects.requireNonNull(store, "store");
        this.tuning = Objects.requireNonNull(tuning, "tuning");
    }

    @Override
    public Outcome send(Delivery delivery, long timestamp) {
        Optional<SmtpSettings> configured = store.smtp();
        if (configured.isEmpty()) {
            return Outcome.failed(
                    Optional.empty(), "no SMTP server is set: set one in AC Admin, Alerts, or PUT /api/v1/alerts/smtp");
        }
        SmtpSettings smtp = configured.get();
        try {
            Email email = EmailBuilder.startingBlank()
                    .from("innoACD Licensing", smtp.from())
                    .to(delivery.subscription().target())
                    .withSubject(AlertPayload.subject(delivery.alert()))
                    .withPlainText(AlertPayload.text(delivery.alert()))
                    .withHeader("X-Innolicense-Alert-Id", delivery.id())
                    .buildEmail();
            MailerRegularBuilder<?> builder = MailerBuilder.withSMTPServer(
                            smtp.host(),
                            smtp.port(),
                            smtp.username().orElse(null),
                            smtp.username().isPresent() ? store.smtpPassword().orElse(null) : null)
                    .withTransportStrategy(strategy(smtp.security()))
                    // Simple Java Mail trusts every certificate unless told otherwise (mail.smtp.ssl.trust=*)
                    .trustingAllHosts(false)
                    .verifyingServerIdentity(true)
                    .withSessionTimeout(TIMEOUT_MILLIS);
            Mailer mailer = builder.buildMailer();
            tuning.accept(mailer.getSession().getProperties());
            mailer.sendMail(email).join();
            return Outcome.deliveredWithoutCode();
        } catch (RuntimeException e) {
            return Outcome.failed(
                    Optional.empty(), "sending to " + smtp.host() + ":" + smtp.port() + " failed: " + rootMessage(e));
        }
    }

    private static TransportStrategy strategy(SmtpSettings.Security security) {
        return switch (security) {
            case STARTTLS -> TransportStrategy.SMTP_TLS;
            case TLS -> TransportStrategy.SMTPS;
            case NONE -> TransportStrategy.SMTP;
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        StringBuilder message = new StringBuilder();
        while (root != null) {
            if (root.getMessage() != null && !root.getMessage().isBlank()) {
                message.setLength(0);
                message.append(root.getMessage().strip());
            }
            root = root.getCause() == root ? null : root.getCause();
        }
        return message.isEmpty() ? e.getClass().getSimpleName() : message.toString();
    }
}
