package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.ApiToken;
import com.anycontact.innolicense.access.CreatedToken;
import com.anycontact.innolicense.access.InvalidInput;
import com.anycontact.innolicense.access.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** API tokens: created (the secret shown once), listed without secrets, revoked; admins only. */
final class TokenRoutes {

    /** The creation form. */
    record CreateBody(String name, Role role) {}

    /** A new token with its secret, which is never shown again. */
    record CreatedView(String token, String id, String name, String role, String createdAt) {}

    /** A token without its secret; {@code revokedAt} is {@code null} while it is in force. */
    record TokenView(String id, String name, String role, String createdAt, String createdBy, String revokedAt) {}

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
        switch (access.createToken(body.name(), body.role(), Authenticator.principal(ctx))) {
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
                                token.createdAt().toString()));
            }
            case InvalidInput invalid -> throw Json.invalid(invalid.field(), invalid.message());
        }
    }

    void list(Context ctx) {
        json.write(
                ctx,
                200,
                new TokensView(access.tokens().stream().map(TokenRoutes::view).toList()));
    }

    void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        if (!access.revokeToken(id, Authenticator.principal(ctx))) {
            throw ProblemType.TOKEN_NOT_FOUND.problem("no API token has the ID '" + id + "'", Map.of("id", id));
        }
        ctx.status(204);
    }

    private static TokenView view(ApiToken token) {
        return new TokenView(
                token.id(),
                token.name(),
                token.role().name(),
                token.createdAt().toString(),
                token.createdBy(),
                token.revokedAt().map(Object::toString).orElse(null));
    }
}
