package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.InvalidInput;
import com.anycontact.innolicense.access.PasswordChange;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.access.User;
import com.anycontact.innolicense.access.UserCreation;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The users who log in to AC Admin: listed, created, deleted and given new passwords by administrators.
 * Deleting a user or setting their password ends their browser sessions.
 */
final class UserRoutes {

    /** The creation form. */
    record CreateBody(String username, Role role, String password) {}

    /** The new password. */
    record PasswordBody(String password) {}

    /** A user, without anything of the password. */
    record UserView(String username, String role, String createdAt) {}

    /** Every user. */
    record UsersView(List<UserView> users) {}

    private final AccessService access;
    private final Sessions sessions;
    private final Json json;

    UserRoutes(AccessService access, Sessions sessions, Json json) {
        this.access = access;
        this.sessions = sessions;
        this.json = json;
    }

    void list(Context ctx) {
        json.write(
                ctx,
                200,
                new UsersView(access.users().stream().map(UserRoutes::view).toList()));
    }

    void create(Context ctx) {
        CreateBody body = json.read(ctx, CreateBody.class);
        if (body.username() == null) {
            throw Json.invalid("username", "field 'username' is required: " + User.USERNAME_RULE);
        }
        if (body.role() == null) {
            throw Json.invalid("role", "field 'role' is required: ADMIN or SUPERVISOR");
        }
        if (body.password() == null) {
            throw Json.invalid("password", "field 'password' is required: " + AccessService.PASSWORD_RULE);
        }
        char[] password = body.password().toCharArray();
        UserCreation created;
        try {
            created = access.createUser(body.username(), body.role(), password, Authenticator.principal(ctx));
        } finally {
            Arrays.fill(password, '\0');
        }
        switch (created) {
            case UserCreation.Created done -> {
                ctx.header("Location", HttpApi.PREFIX + "/users/" + done.user().username());
                json.write(ctx, 201, view(done.user()));
            }
            case UserCreation.UsernameTaken taken ->
                throw ProblemType.USERNAME_TAKEN.problem(
                        "a user named '" + taken.username() + "' exists already (usernames ignore case)",
                        Map.of("username", taken.username()));
            case InvalidInput invalid -> throw Json.invalid(invalid.field(), invalid.message());
        }
    }

    void delete(Context ctx) {
        String username = ctx.pathParam("username");
        switch (access.deleteUser(username, Authenticator.principal(ctx))) {
            case DELETED -> {
                sessions.invalidateAll(Principal.Kind.USER, username);
                ctx.status(204);
            }
            case NOT_FOUND -> throw notFound(username);
            case LAST_ADMIN ->
                throw ProblemType.LAST_ADMIN.problem(
                        "'" + username + "' is the last user with the role ADMIN; create another admin first",
                        Map.of("username", username));
        }
    }

    void setPassword(Context ctx) {
        String username = ctx.pathParam("username");
        PasswordBody body = json.read(ctx, PasswordBody.class);
        if (body.password() == null) {
            throw Json.invalid("password", "field 'password' is required: " + AccessService.PASSWORD_RULE);
        }
        char[] password = body.password().toCharArray();
        PasswordChange change;
        try {
            change = access.changePassword(username, password, Authenticator.principal(ctx));
        } finally {
            Arrays.fill(password, '\0');
        }
        switch (change) {
            case PasswordChange.Changed changed -> {
                sessions.invalidateAll(Principal.Kind.USER, username);
                ctx.status(204);
            }
            case PasswordChange.UnknownUser unknown -> throw notFound(username);
            case InvalidInput invalid -> throw Json.invalid(invalid.field(), invalid.message());
        }
    }

    private static ProblemException notFound(String username) {
        return ProblemType.USER_NOT_FOUND.problem("no user is named '" + username + "'", Map.of("username", username));
    }

    private static UserView view(User user) {
        return new UserView(
                user.username(), user.role().name(), user.createdAt().toString());
    }
}
