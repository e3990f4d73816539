package com.anycontact.innolicense.alert;

import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP server that e-mail alerts are sent through. The password is kept by the store beside these settings
 * and never part of this value: it is written, never shown back.
 *
 * @param host the server's host name
 * @param port its port, e.g. 587 for STARTTLS, 465 for TLS
 * @param security how the connection is protected
 * @param username the user to authenticate as; empty to send without authentication
 * @param from the sender address of the alerts
 * @param passwordSet whether a password is stored
 */
public record SmtpSettings(
        String host, int port, Security security, Optional<String> username, String from, boolean passwordSet) {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain SMTP, upgraded with STARTTLS, which must succeed (the usual port is 587). */
        STARTTLS,
        /** TLS from the first byte, "SMTPS" (the usual port is 465). */
        TLS,
        /** No encryption: only for a relay on the same host or a test server. */
        NONE
    }

    /** Requires every field and a port from 1 to 65535. */
    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(from, "from");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
        }
    }
}
