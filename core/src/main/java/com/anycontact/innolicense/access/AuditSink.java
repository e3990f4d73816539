package com.anycontact.innolicense.access;

import java.time.Instant;

/**
 * Where access control reports what happened, for the audit log. Passwords and token secrets are
 * never reported.
 */
@FunctionalInterface
public interface AuditSink {

    /** A user logged in; detail names the remote address. */
    String LOGIN = "LOGIN";
    /** A login was refused (unknown user or wrong password); detail names the remote address. */
    String LOGIN_FAILED = "LOGIN_FAILED";
    /** An API token was created; detail names its ID, name and role. */
    String TOKEN_CREATED = "TOKEN_CREATED";
    /** An API token was revoked; detail names its ID. */
    String TOKEN_REVOKED = "TOKEN_REVOKED";
    /** A user was created; detail names the username and role. */
    String USER_CREATED = "USER_CREATED";
    /** A user was deleted; detail names the username. */
    String USER_DELETED = "USER_DELETED";
    /** A user's password was changed; detail names the username. */
    String PASSWORD_CHANGED = "PASSWORD_CHANGED";
    /** The login throttle's counters of a username or an address were cleared; detail names which. */
    String LOGIN_UNLOCKED = "LOGIN_UNLOCKED";

    /**
     * Records one event.
     *
     * @param at when it happened
     * @param actor who did it: a username, a token ({@link Principal#auditName()}), or
     *     {@code bootstrap}
     * @param type one of the constants of this interface
     * @param detail what happened, for people
     */
    void record(Instant at, String actor, String type, String detail);
}
