package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.ApiToken;
import com.anycontact.innolicense.access.CreatedToken;
import com.anycontact.innolicense.access.InvalidInput;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.seat.ClaimRequest;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** API tokens: created (the secret shown once), listed without secrets, revoked; admins only. */
final class TokenRoutes {

    /** The creation form: {@code expiresAt} (an instant) and {@code node} (ACD tokens) are optional. */
    record CreateBody(String name, Role role, String expiresAt, String node) {}

    /** A new token with its secret, which is never shown again. */
    record CreatedView(
            String token, String id, String name, String role, String createdAt, String expiresAt, String node) {}

    /**
     * A token without its secret; {@code revokedAt} is {@code null} while it is in force, {@code expiresAt} and
     * {@code node} when not set; {@code claims} counts the seats claimed through it since the server started.
     */
    record TokenView(
            String id,
            String name,
            String role,
            String createdAt,
            String createdBy,
            String revokedAt,
            String expiresAt,
            String node,
            long claims) {}

    /** Every token. */
    record TokensView(List<TokenView> tokens) {}

    private final AccessService access;
    private final Json json;

    TokenRoutes(AccessService access, Json json) {
        this.access = access;
        this.json = json;
    }

    void create(Context ctx) {
        CreateBody body = json.read(ctx, CreateBody.class);
        if (body.name() == null || body.name().isBlank()) {
            throw Json.invalid("name", "field 'name' is required: what the token is for, e.g. acd-node-1");
        }
        if (body.role() == null) {
            throw Json.invalid("role", "field 'role' is required: one of ADMIN, SUPERVISOR, ACD");
        }
        Optional<Instant> expiresAt = Optional.ofNullable(body.expiresAt()).map(TokenRoutes::expiry);
        if (body.node() != null && !ClaimRequest.isValidLabel(body.node())) {
            throw Json.invalid("node", "field 'node' is not a valid node name: " + ClaimRequest.LABEL_RULE);
        }
        switch (access.createToken(
                body.name(), body.role(), expiresAt, Optional.ofNullable(body.node()), Authenticator.principal(ctx))) {
            case CreatedToken created -> {
                ApiToken token = created.token();
                json.write(
                        ctx,
                        201,
                        new CreatedView(
                                created.secret(),
                                token.id(),
                                token.name(),
                                token.role().name(),
                                token.createdAt().toString(),
                                token.expiresAt().map(Object::toString).orElse(null),
                                token.node().orElse(null)));
            }
            case InvalidInput invalid -> throw Json.invalid(invalid.field(), invalid.message());
        }
    }

    void list(Context ctx) {
        json.write(
                ctx,
                200,
                new TokensView(access.tokens().stream().map(this::view).toList()));
    }

    void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        if (!access.revokeToken(id, Authenticator.principal(ctx))) {
            throw ProblemType.TOKEN_NOT_FOUND.problem("no API token has the ID '" + id + "'", Map.of("id", id));
        }
        ctx.status(204);
    }

    private TokenView view(ApiToken token) {
        return new TokenView(
                token.id(),
                token.name(),
                token.role().name(),
                token.createdAt().toString(),
                token.createdBy(),
                token.revokedAt().map(Object::toString).orElse(null),
                token.expiresAt().map(Object::toString).orElse(null),
                token.node().orElse(null),
                access.claimsSinceStart(token.id()));
    }

    private static Instant expiry(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw Json.invalid(
                    "expiresAt", "field 'expiresAt' must be an ISO-8601 instant such as 2027-04-15T00:00:00Z");
        }
    }
}
