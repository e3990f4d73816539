package com.anycontact.innolicense.access;

/**
 * What a user or API token may do. Users are {@link #ADMIN} or {@link #SUPERVISOR}; API tokens may
 * have any role. Which endpoint admits which role is listed in {@code docs/access-control.md}.
 */
public enum Role {
    /** Manages licenses, users and API tokens, and sees everything, the audit log included. */
    ADMIN,
    /** Watches usage: license status, leases, utilization; changes nothing. */
    SUPERVISOR,
    /** An ACD node: claims, renews and releases seats, nothing else. For API tokens only. */
    ACD;

    /** Whether a user (rather than only an API token) may have this role. */
    public boolean isUserRole() {
        return this != ACD;
    }
}
