package com.anycontact.innolicense.access;

import java.util.Objects;

/**
 * Who is making a request, once authenticated.
 *
 * @param name the username, or the API token's name
 * @param role what the principal may do
 * @param kind whether a user or an API token authenticated
 * @param id the username for a user, the token ID for an API token
 */
public record Principal(String name, Role role, Kind kind, String id) {

    /** How the principal authenticated. */
    public enum Kind {
        /** A user, with a password (and then a session). */
        USER,
        /** An API token, as a bearer token. */
        TOKEN
    }

    /** Requires every component. */
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** The principal of a user. */
    public static Principal of(User user) {
        return new Principal(user.username(), user.role(), Kind.USER, user.username());
    }

    /** The principal of an API token. */
    public static Principal of(ApiToken token) {
        return new Principal(token.name(), token.role(), Kind.TOKEN, token.id());
    }

    /** How the audit log names this principal: the username, or {@code token:ID (name)}. */
    public String auditName() {
        return kind == Kind.USER ? name : "token:" + id + " (" + name + ")";
    }
}
