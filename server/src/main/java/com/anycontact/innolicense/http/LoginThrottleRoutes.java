package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import io.javalin.http.Context;

/** Lifting the login throttle's lockouts of a username or an address, for administrators; audited. */
final class LoginThrottleRoutes {

    /** What was unlocked: how many throttle counters were cleared (0 when nothing was counted). */
    record UnlockView(String subject, int cleared) {}

    private final AccessService access;
    private final Json json;

    LoginThrottleRoutes(AccessService access, Json json) {
        this.access = access;
        this.json = json;
    }

    void unlock(Context ctx) {
        String subject = ctx.pathParam("subject").strip();
        if (subject.isEmpty() || subject.length() > 128) {
            throw ProblemType.INVALID_PARAMETER.problem(
                    "the path must end with a username or an IP address", java.util.Map.of("parameter", "subject"));
        }
        json.write(ctx, 200, new UnlockView(subject, access.unlock(subject, Authenticator.principal(ctx))));
    }
}
