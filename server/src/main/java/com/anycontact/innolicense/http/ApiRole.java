package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.Role;
import io.javalin.security.RouteRole;

/** Who may call a route: declared on every route in {@link HttpApi}, checked by {@link Authenticator}. */
public enum ApiRole implements RouteRole {
    /** Anyone, without credentials. */
    ANYONE,
    /** Any authenticated caller, whatever its role. */
    AUTHENTICATED,
    /** Administrators. */
    ADMIN,
    /** Supervisors. */
    SUPERVISOR,
    /** ACD nodes, by API token. */
    ACD;

    /** The route role that a principal of this role holds. */
    public static ApiRole of(Role role) {
        return switch (role) {
            case ADMIN -> ADMIN;
            case SUPERVISOR -> SUPERVISOR;
            case ACD -> ACD;
        };
    }
}
