package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.LicenseKeyFormat;

/** Reads a license key named on the command line. */
final class KeyInput {

    private static final int READ_LIMIT = LicenseKeyFormat.MAX_KEY_TEXT_BYTES * 8;

    private KeyInput() {}

    /**
     * Reads the key text from a file, or standard input for {@code -}. A longer input is cut after a prefix
     * that is already too large, so the decoder rejects it as TOO_LARGE without the whole file being read.
     */
    static String read(String source, CliEnvironment env) {
        return CliFiles.readAtMost(source, env, "license key file", READ_LIMIT + 1);
    }
}
