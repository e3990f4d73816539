package com.anycontact.innolicense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin alerts}: alert rules, subscriptions, delivery logs and the SMTP server (docs/alerts.md). */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Alerts by webhook and e-mail: the alerts fired, the rules, the subscriptions with their"
                + " delivery logs and test events, and the SMTP server (admin token required).")
final class AdminAlerts {

    /** The environment variable that holds the SMTP password for non-interactive use. */
    static final String SMTP_PASSWORD_VARIABLE = "INNOLICENSE_SMTP_PASSWORD";

    private static final String ALERTS = "/api/v1/alerts";

    /** {@code admin alerts list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the alerts fired, newest first.")
    static final class ListAlerts implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        ListAlerts(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return AdminListing.print(
                    io,
                    connection.client(io.env()).get(ALERTS),
                    json,
                    "alerts",
                    java.util.List.of("FIRED", "RULE", "SUMMARY"),
                    java.util.List.of("firedAt", "rule", "summary"));
        }
    }

    /** {@code admin alerts rules}. */
    @Command(
            name = "rules",
            mixinStandardHelpOptions = true,
            description = "Lists the rules, on or off, with thresholds.")
    static final class Rules implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        Rules(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return AdminListing.printColumns(
                    io,
                    connection.client(io.env()).get(ALERTS + "/rules"),
                    json,
                    "rules",
                    java.util.List.of("RULE", "ON", "THRESHOLD", "TITLE"),
                    java.util.List.of(
                            AdminListing.field("rule"),
                            rule -> rule.path("enabled").asBoolean() ? "on" : "off",
                            AdminAlerts::threshold,
                            AdminListing.field("title")));
        }
    }

    /** {@code admin alerts rule RULE}. */
    @Command(
            name = "rule",
            mixinStandardHelpOptions = true,
            description = "Switches a rule on or off and sets its thresholds; what is not given stays as it is.")
    static final class Rule implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(
                paramLabel = "RULE",
                description = "LICENSE_EXPIRING, GRACE_BEGAN, DEMO_BEGAN, KEY_APPLIED, KEY_REJECTED, USAGE_HIGH,"
                        + " DENIAL, CLOCK_JUMP, NODE_MISSING or NODE_BACK.")
        String rule;

        @Option(names = "--on", description = "Switch the rule on.")
        boolean on;

        @Option(names = "--off", description = "Switch the rule off.")
        boolean off;

        @Option(
                names = "--days",
                split = ",",
                paramLabel = "DAYS",
                description = "LICENSE_EXPIRING: days before the end to warn at, e.g. 30,14,7,1.")
        java.util.List<Integer> days;

        @Option(names = "--percent", paramLabel = "N", description = "USAGE_HIGH: share of the capacity, 1 to 100.")
        Integer percent;

        @Option(
                names = "--minutes",
                paramLabel = "N",
                description = "USAGE_HIGH: how long use stays high; DENIAL: least minutes between two alerts;"
                        + " NODE_MISSING: how long a cluster node is missing before the alert.")
        Integer minutes;

        Rule(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            if (on && off) {
                throw new CommandFailure(ExitCode.USAGE, "--on and --off exclude each other; give one");
            }
            ObjectNode body = LicenseView.object();
            if (on || off) {
                body.put("enabled", on);
            }
            if (days != null) {
                ArrayNode list = body.putArray("days");
                days.forEach(list::add);
            }
            if (percent != null) {
                body.put("percent", percent);
            }
            if (minutes != null) {
                body.put("minutes", minutes);
            }
            AdminClient.Answer answer = connection
                    .client(io.env())
                    .put(
                            ALERTS + "/rules/" + AdminClient.encode(rule.toUpperCase(java.util.Locale.ROOT)),
                            "application/json",
                            LicenseView.text(body));
            if (answer.status() != 200) {
                throw AdminClient.unexpected(answer);
            }
            JsonNode set = answer.json();
            io.out()
                    .println(set.path("rule").asText() + " "
                            + (set.path("enabled").asBoolean() ? "on" : "off")
                            + threshold(set).transform(text -> text.isEmpty() ? "" : ", " + text));
            return ExitCode.OK;
        }
    }

    /** {@code admin alerts subscriptions}. */
    @Command(name = "subscriptions", mixinStandardHelpOptions = true, description = "Lists where alerts go.")
    static final class Subscriptions implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        Subscriptions(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return AdminListing.printColumns(
                    io,
                    connection.client(io.env()).get(ALERTS + "/subscriptions"),
                    json,
                    "subscriptions",
                    java.util.List.of("ID", "NAME", "CHANNEL", "TARGET", "RULES", "CREATED", "CREATED BY"),
                    java.util.List.of(
                            AdminListing.field("id"),
                            AdminListing.field("name"),
                            AdminListing.field("channel"),
                            AdminListing.field("target"),
                            AdminAlerts::rulesTaken,
                            AdminListing.field("createdAt"),
                            AdminListing.field("createdBy")));
        }
    }

    /** {@code admin alerts subscribe}. */
    @Command(
            name = "subscribe",
            mixinStandardHelpOptions = true,
            description = "Sends alerts to a webhook or an e-mail address. For a webhook, prints its signing secret"
                    + " (whsec_...) alone on standard output, once: keep it where the receiver checks signatures.")
    static final class Subscribe implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What it is for.")
        String name;

        @ArgGroup(multiplicity = "1")
        Target target;

        @Option(
                names = "--rules",
                split = ",",
                paramLabel = "RULES",
                description = "Only these rules' alerts, e.g. USAGE_HIGH,DENIAL (default: every rule; "
                        + "'admin alerts rules' lists them).")
        java.util.List<String> rules;

        /** Exactly one of the two. */
        static final class Target {
            @Option(names = "--webhook", paramLabel = "URL", description = "An https:// (or http://) URL.")
            String webhook;

            @Option(names = "--email", paramLabel = "ADDRESS", description = "An e-mail address.")
            String email;
        }

        Subscribe(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            boolean webhook = target.webhook != null;
            ObjectNode body = LicenseView.object()
                    .put("name", name)
                    .put("channel", webhook ? "WEBHOOK" : "EMAIL")
                    .put("target", webhook ? target.webhook : target.email);
            if (rules != null) {
                ArrayNode list = body.putArray("rules");
                rules.forEach(rule -> list.add(rule.strip().toUpperCase(java.util.Locale.ROOT)));
            }
            AdminClient.Answer answer = connection
                    .client(io.env())
                    .post(ALERTS + "/subscriptions", "application/json", LicenseView.text(body));
            if (answer.status() != 201) {
                throw AdminClient.unexpected(answer);
            }
            String id = answer.json().path("id").asText();
            if (webhook) {
                io.out().println(answer.json().path("secret").asText());
                io.err()
                        .println(
                                "Created subscription " + id + "; its signing secret (above) is shown only this once.");
            } else {
                io.out().println(id);
                io.err().println("Created subscription " + id + " to " + target.email + ".");
            }
            return ExitCode.OK;
        }
    }

    /** {@code admin alerts subscription-rules ID}. */
    @Command(
            name = "subscription-rules",
            mixinStandardHelpOptions = true,
            description = "Chooses which rules' alerts a subscription takes, from the next alert on.")
    static final class SubscriptionRules implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "ID", description = "The subscription's ID, as listed.")
        String id;

        @ArgGroup(multiplicity = "1")
        Choice choice;

        /** Exactly one of the two. */
        static final class Choice {
            @Option(
                    names = "--rules",
                    split = ",",
                    paramLabel = "RULES",
                    description = "Only these rules' alerts, e.g. LICENSE_EXPIRING,GRACE_BEGAN,DEMO_BEGAN.")
            java.util.List<String> rules;

            @Option(names = "--all", description = "Every rule's alerts, also rules a later release adds.")
            boolean all;
        }

        SubscriptionRules(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            ObjectNode body = LicenseView.object();
            if (choice.all) {
                body.putNull("rules");
            } else {
                ArrayNode list = body.putArray("rules");
                choice.rules.forEach(rule -> list.add(rule.strip().toUpperCase(java.util.Locale.ROOT)));
            }
            AdminClient.Answer answer = connection
                    .client(io.env())
                    .put(
                            ALERTS + "/subscriptions/" + AdminClient.encode(id) + "/rules",
                            "application/json",
                            LicenseView.text(body));
            if (answer.status() != 200) {
                throw AdminClient.unexpected(answer);
            }
            String taken = rulesTaken(answer.json());
            io.out().println(id + " takes " + (taken.equals("all") ? "every rule" : "the rules " + taken));
            return ExitCode.OK;
        }
    }

    /** The rules a listed subscription takes: {@code all} or their names. */
    static String rulesTaken(JsonNode subscription) {
        if (subscription.path("allRules").asBoolean()) {
            return "all";
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        subscription.path("rules").forEach(rule -> names.add(rule.asText()));
        return String.join(",", names);
    }

    /** {@code admin alerts unsubscribe ID}. */
    @Command(
            name = "unsubscribe",
            mixinStandardHelpOptions = true,
            description = "Removes a subscription with its pending deliveries and its delivery log.")
    static final class Unsubscribe implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "ID", description = "The subscription's ID, as listed.")
        String id;

        Unsubscribe(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient.Answer answer =
                    connection.client(io.env()).delete(ALERTS + "/subscriptions/" + AdminClient.encode(id));
            if (answer.status() != 204) {
                throw AdminClient.unexpected(answer);
            }
            io.err().println("Removed subscription " + id + ".");
            return ExitCode.OK;
        }
    }

    /** {@code admin alerts deliveries ID}. */
    @Command(name = "deliveries", mixinStandardHelpOptions = true, description = "Shows a subscription's delivery log.")
    static final class Deliveries implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "ID", description = "The subscription's ID, as listed.")
        String id;

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        Deliveries(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return AdminListing.print(
                    io,
                    connection
                            .client(io.env())
                            .get(ALERTS + "/subscriptions/" + AdminClient.encode(id) + "/deliveries"),
                    json,
                    "attempts",
                    java.util.List.of("AT", "RULE", "ATTEMPT", "OUTCOME", "CODE", "ERROR", "NEXT ATTEMPT"),
                    java.util.List.of("at", "rule", "attempt", "outcome", "statusCode", "error", "nextAttemptAt"));
        }
    }

    /** {@code admin alerts test ID}. */
    @Command(name = "test", mixinStandardHelpOptions = true, description = "Sends a test event to a subscription now.")
    static final class Test implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "ID", description = "The subscription's ID, as listed.")
        String id;

        Test(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient.Answer answer = connection
                    .client(io.env())
                    .post(ALERTS + "/subscriptions/" + AdminClient.encode(id) + "/test", "application/json", "{}");
            if (answer.status() != 200) {
                throw AdminClient.unexpected(answer);
            }
            JsonNode attempt = answer.json();
            String code = attempt.path("statusCode").isNumber()
                    ? " (" + attempt.path("statusCode").asInt() + ")"
                    : "";
            if (attempt.path("outcome").asText().equals("DELIVERED")) {
                io.out().println("delivered" + code);
                return ExitCode.OK;
            }
            io.out()
                    .println("not delivered" + code + ": "
                            + attempt.path("error").asText());
            return ExitCode.REFUSED;
        }
    }

    /** {@code admin alerts smtp}. */
    @Command(
            name = "smtp",
            mixinStandardHelpOptions = true,
            description = "Shows the SMTP server of e-mail alerts, or sets it when --host is given. The password comes"
                    + " from " + SMTP_PASSWORD_VARIABLE + " or is asked for, with --password; it is never shown.")
    static final class Smtp implements Callable<Integer> {
        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--host", paramLabel = "HOST", description = "The SMTP server's host name.")
        String host;

        @Option(names = "--port", paramLabel = "PORT", description = "Its port (default 587).")
        Integer port;

        @Option(names = "--security", paramLabel = "MODE", description = "STARTTLS (default), TLS or NONE.")
        String security;

        @Option(names = "--username", paramLabel = "USER", description = "Authenticate as this user.")
        String username;

        @Option(names = "--from", paramLabel = "ADDRESS", description = "The sender address of the alerts.")
        String from;

        @Option(
                names = "--password",
                description = "Set the password: from " + SMTP_PASSWORD_VARIABLE + ", else asked on the terminal.")
        boolean password;

        @Option(names = "--no-password", description = "Remove the stored password.")
        boolean noPassword;

        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        Smtp(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient client = connection.client(io.env());
            AdminClient.Answer answer;
            if (host == null) {
                answer = client.get(ALERTS + "/smtp");
            } else {
                if (password && noPassword) {
                    throw new CommandFailure(ExitCode.USAGE, "--password and --no-password exclude each other");
                }
                ObjectNode body = LicenseView.object()
                        .put("host", host)
                        .put("port", port == null ? 587 : port)
                        .put("security", security == null ? "STARTTLS" : security.toUpperCase(java.util.Locale.ROOT))
                        .put("from", from);
                if (username != null) {
                    body.put("username", username);
                }
                char[] secret = password ? smtpPassword(io.env()) : null;
                try {
                    if (secret != null) {
                        body.put("password", new String(secret));
                    } else if (noPassword) {
                        body.put("password", "");
                    }
                    answer = client.put(ALERTS + "/smtp", "application/json", LicenseView.text(body));
                } finally {
                    if (secret != null) {
                        Arrays.fill(secret, '\0');
                    }
                }
            }
            if (answer.status() != 200) {
                throw AdminClient.unexpected(answer);
            }
            JsonNode smtp = answer.json();
            if (json) {
                io.out().println(LicenseView.text(smtp));
            } else if (!smtp.path("configured").asBoolean()) {
                io.out().println("no SMTP server is set; e-mail alerts fail until one is");
            } else {
                io.out()
                        .println(smtp.path("host").asText() + ":"
                                + smtp.path("port").asInt() + " "
                                + smtp.path("security").asText()
                                + (smtp.path("username").isTextual()
                                        ? " as " + smtp.path("username").asText()
                                        : " without authentication")
                                + ", from " + smtp.path("from").asText() + ", password "
                                + (smtp.path("passwordSet").asBoolean() ? "set" : "not set"));
            }
            return ExitCode.OK;
        }

        private static char[] smtpPassword(CliEnvironment env) {
            Optional<String> variable = env.variable(SMTP_PASSWORD_VARIABLE);
            if (variable.isPresent() && !variable.get().isEmpty()) {
                return variable.get().toCharArray();
            }
            return env.passphrasePrompt()
                    .ask("SMTP password: ")
                    .orElseThrow(() -> CommandFailure.error("no password: set " + SMTP_PASSWORD_VARIABLE
                            + " or run the command in a terminal to be asked for it"));
        }
    }

    private static String threshold(JsonNode rule) {
        return switch (rule.path("rule").asText()) {
            case "LICENSE_EXPIRING" -> "days " + rule.path("days").toString().replaceAll("[\\[\\]]", "");
            case "USAGE_HIGH" ->
                rule.path("percent").asInt() + " % for " + rule.path("minutes").asInt() + " min";
            case "DENIAL" -> "at most one per " + rule.path("minutes").asInt() + " min";
            case "NODE_MISSING" -> "after " + rule.path("minutes").asInt() + " min missing";
            default -> "";
        };
    }
}
