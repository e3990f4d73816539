package com.anycontact.innolicense.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin user}: the users who log in to AC Admin. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Creates, lists and deletes users and sets their passwords (admin token required).")
final class AdminUser {

    /** The roles a user may have. */
    enum UserRole {
        ADMIN,
        SUPERVISOR
    }

    private static final String USERS = "/api/v1/users";

    /** {@code admin user create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a user. The password comes from " + UserPasswords.VARIABLE
                    + ", or is asked twice on the terminal without echo; at least 12 characters.")
    static final class Create implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(
                names = "--username",
                required = true,
                paramLabel = "USERNAME",
                description = "1 to 64 ASCII letters, digits and . _ - @; unique ignoring case.")
        String username;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "ADMIN or SUPERVISOR.")
        UserRole role;

        Create(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient client = connection.client(io.env());
            char[] password = UserPasswords.forUser(io.env(), username);
            String body;
            try {
                body = LicenseView.text(LicenseView.object()
                        .put("username", username)
                        .put("role", role.name())
                        .put("password", new String(password)));
            } finally {
                Arrays.fill(password, '\0');
            }
            AdminClient.Answer answer = client.post(USERS, "application/json", body);
            if (answer.status() != 201) {
                throw AdminClient.unexpected(answer);
            }
            io.err()
                    .println("Created user " + answer.json().path("username").asText() + " with role "
                            + answer.json().path("role").asText() + ".");
            return ExitCode.OK;
        }
    }

    /** {@code admin user list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users and their roles.")
    static final class List implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        List(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return AdminListing.print(
                    io,
                    connection.client(io.env()).get(USERS),
                    json,
                    "users",
                    java.util.List.of("USERNAME", "ROLE", "CREATED"),
                    java.util.List.of("username", "role", "createdAt"));
        }
    }

    /** {@code admin user delete}. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Deletes a user and ends their sessions; exit code 1 when there is no such user or it is"
                    + " the last admin.")
    static final class Delete implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "USERNAME", description = "The user to delete.")
        String username;

        Delete(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient.Answer answer = connection.client(io.env()).delete(USERS + "/" + AdminClient.encode(username));
            if (answer.status() != 204) {
                throw AdminClient.unexpected(answer);
            }
            io.err().println("Deleted user " + username + ".");
            return ExitCode.OK;
        }
    }

    /** {@code admin user password}. */
    @Command(
            name = "password",
            mixinStandardHelpOptions = true,
            description = "Sets a user's password and ends their sessions. The password comes from "
                    + UserPasswords.VARIABLE + ", or is asked twice on the terminal without echo.")
    static final class Password implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "USERNAME", description = "Whose password to set.")
        String username;

        Password(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient client = connection.client(io.env());
            char[] password = UserPasswords.forUser(io.env(), username);
            String body;
            try {
                body = LicenseView.text(LicenseView.object().put("password", new String(password)));
            } finally {
                Arrays.fill(password, '\0');
            }
            AdminClient.Answer answer =
                    client.put(USERS + "/" + AdminClient.encode(username) + "/password", "application/json", body);
            if (answer.status() != 204) {
                throw AdminClient.unexpected(answer);
            }
            io.err().println("Set the password of user " + username + "; their sessions have ended.");
            return ExitCode.OK;
        }
    }
}
