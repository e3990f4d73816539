package com.anycontact.innolicense.server;

/** The server refuses to start because of its configuration; the message says what to change. */
public final class StartupRefused extends RuntimeException {

    /** A refusal with its message for the operator. */
    public StartupRefused(String message) {
        super(message, null, false, false);
    }
}
