package com.anycontact.innolicense.audit;

import com.anycontact.innolicense.text.SafeText;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit log: who did what, when. {@code docs/audit-log.md} lists the types and what the
 * detail of each carries.
 *
 * <p>The actor and the detail carry text from outside (a rejected key's content, a username typed at the login
 * form), so they hold no character that would act on a terminal or a reader: control characters, escape
 * sequences and bidi overrides are kept as their visible escapes ({@link SafeText}), whichever log stored them.
 *
 * @param id the position in the log: larger for later entries, never reused
 * @param at the trusted instant the event happened, to the millisecond
 * @param actor who caused it: a user name, a token name, or {@value #SYSTEM} for the server itself
 * @param type what happened
 * @param detail what exactly happened, for people
 */
public record AuditEvent(long id, Instant at, String actor, Type type, String detail) {

    /** The actor of events the server causes by itself, such as lifecycle transitions and reaping. */
    public static final String SYSTEM = "system";

    /** Requires every field; escapes what would act in the actor and the detail ({@link SafeText#escape}). */
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        actor = SafeText.escape(actor);
        detail = SafeText.escape(detail);
    }

    /** What an audit event records. */
    public enum Type {
        /** The server started. */
        SERVER_STARTED,
        /** A license key was applied. */
        KEY_APPLIED,
        /** A license key was refused, with the reason. */
        KEY_REJECTED,
        /** The lifecycle state or the license in force changed. */
        STATE_CHANGED,
        /** The capacity dropped. */
        CAPACITY_REDUCED,
        /** The reaper released leases whose holders stopped renewing. */
        LEASES_REAPED,
        /** A claim was denied because no seat was free. */
        CLAIM_DENIED,
        /** A renewal was refused because capacity dropped beneath the lease. */
        LEASE_CAPACITY_REDUCED,
        /** A user logged in. */
        LOGIN,
        /** A login failed. */
        LOGIN_FAILED,
        /** A user logged out. */
        LOGOUT,
        /** An API token was created. */
        TOKEN_CREATED,
        /** An API token was revoked. */
        TOKEN_REVOKED,
        /** A user was created. */
        USER_CREATED,
        /** A user was deleted. */
        USER_DELETED,
        /** A user's password was changed. */
        PASSWORD_CHANGED,
        /** An administrator lifted the login throttle's lockouts of a username or an address. */
        LOGIN_UNLOCKED,
        /**
         * The system clock stepped forward or back beyond the tolerance of trusted time (once per episode; the
         * detail says which way and how far).
         */
        CLOCK_JUMP,
        /** A stored license did not verify when loaded (forged, altered, or its key no longer trusted). */
        LICENSE_IGNORED,
        /** The server started on development trust: keys given with --development-trust are accepted. */
        DEVELOPMENT_TRUST,
        /** An administrator released an agent's seat, with the reason given and how long claims are refused. */
        SEAT_FORCE_RELEASED,
        /** An administrator lifted the block on an agent's claims before it ended. */
        AGENT_UNBLOCKED,
        /** An administrator changed the alerts: a rule, a subscription or the SMTP server (never a secret). */
        ALERT_SETTINGS_CHANGED,
        /**
         * The cluster database's count of seats held, which claims rely on, disagreed with its leases (changed
         * outside the server) and was repaired; the detail says what was found.
         */
        SEAT_COUNT_REPAIRED
    }
}
