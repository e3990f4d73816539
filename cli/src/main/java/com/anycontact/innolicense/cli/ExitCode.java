package com.anycontact.innolicense.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every {@code innolicense} command: four numbers shared by all, whose meaning each family of
 * commands states in its help ({@link #helpFor}), the README and docs/vendor-tool.md.
 */
final class ExitCode {

    /** Done; for {@code license verify}: the key is genuine; for {@code server}: stopped cleanly. */
    static final int OK = 0;

    /** Refused: a license key rejected, an order with problems or already issued, an existing key kept. */
    static final int REFUSED = 1;

    /** The command line is wrong: unknown option, missing or invalid value. */
    static final int USAGE = 2;

    /** The command could not run: a file missing or unreadable, a wrong passphrase, a broken registry. */
    static final int ERROR = 3;

    /** The exit code section of the vendor tool's and the license tools' help, code to meaning. */
    static final Map<String, String> HELP = codes(
            "done; for license verify: the license key is genuine",
            "refused: license key rejected or undecodable, order has problems or was already"
                    + " issued, license to renew unknown or already renewed, existing signing key kept",
            "usage error: unknown option, missing or invalid value",
            "could not run: file missing or unreadable, no or wrong passphrase, broken registry");

    /** The exit code section of the {@code admin} commands' help. */
    static final Map<String, String> ADMIN_HELP = codes(
            "done; for status --wait: the server became ready in time",
            "refused by the server: license key rejected (with its reason code), no token or user with that"
                    + " ID or name, a user that exists already, the last admin user; for audit verify: the hash"
                    + " chain or an archive is broken",
            "usage error: unknown option, missing or invalid value, a server URL that is not one",
            "could not run: server not reachable (or not ready within --wait), no or a refused API token, a token"
                    + " without the role, an unexpected answer; for recover: data directory without a database,"
                    + " held by a running server, or broken");

    /** The exit code section of the {@code server} command's help. */
    static final Map<String, String> SERVER_HELP = codes(
            "stopped on SIGTERM or SIGINT (Ctrl-C) after a clean shutdown",
            "(not used)",
            "invalid setting: unknown option, a value that is not valid (flag, environment variable or --config"
                    + " file), an admin password or bootstrap token that does not meet the rules",
            "could not start: port in use, data directory not writable or held by another server, database broken"
                    + " or newer than this program");

    /** The exit code section of the {@code simulate} command's help. */
    static final Map<String, String> SIMULATE_HELP = codes(
            "the simulation ran its duration, or was stopped with Ctrl-C",
            "(not used)",
            "usage error: unknown option, missing or invalid value, a server URL that is not one",
            "the simulation stopped: the server could not be reached or refused the token");

    private ExitCode() {}

    /** The exit code section for a command, by the first word after {@code innolicense}. */
    static Map<String, String> helpFor(String family) {
        return switch (family) {
            case "admin" -> ADMIN_HELP;
            case "server" -> SERVER_HELP;
            case "simulate" -> SIMULATE_HELP;
            default -> HELP;
        };
    }

    private static Map<String, String> codes(String ok, String refused, String usage, String error) {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("  " + OK, ok);
        codes.put("  " + REFUSED, refused);
        codes.put("  " + USAGE, usage);
        codes.put("  " + ERROR, error);
        return Collections.unmodifiableMap(codes);
    }
}
