package com.anycontact.innolicense.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes of every {@code innolicense} command, as documented in its help and docs/vendor-tool.md. */
final class ExitCode {

    /** Done; for {@code license verify}: the key is genuine. */
    static final int OK = 0;

    /** Refused: a license key rejected, an order with problems or already issued, an existing key kept. */
    static final int REFUSED = 1;

    /** The command line is wrong: unknown option, missing or invalid value. */
    static final int USAGE = 2;

    /** The command could not run: a file missing or unreadable, a wrong passphrase, a broken registry. */
    static final int ERROR = 3;

    /** The exit code section of every command's help, code to meaning. */
    static final Map<String, String> HELP = helpList();

    private ExitCode() {}

    private static Map<String, String> helpList() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("  " + OK, "done; for license verify: the license key is genuine");
        codes.put(
                "  " + REFUSED,
                "refused: license key rejected or undecodable, order has problems or was already"
                        + " issued, license to renew unknown or already renewed, existing signing key kept");
        codes.put("  " + USAGE, "usage error: unknown option, missing or invalid value");
        codes.put("  " + ERROR, "could not run: file missing or unreadable, no or wrong passphrase, broken registry");
        return Collections.unmodifiableMap(codes);
    }
}
