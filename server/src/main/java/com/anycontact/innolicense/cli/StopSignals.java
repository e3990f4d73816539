package com.anycontact.innolicense.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop, instead of the JVM's default, which runs the shutdown hooks and
 * exits with 143 or 130: a server stopped on purpose shuts down and exits 0, as {@code systemd} and the docs
 * expect. Where the JVM does not allow it ({@code -Xrs}), the default stays and the shutdown hook stops the
 * server.
 */
final class StopSignals {

    private StopSignals() {}

    /** Runs {@code stop} (on a signal thread, so it should only hand over) at the first SIGTERM or SIGINT. */
    static void onStop(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // signal handling reserved by the JVM (-Xrs) or unknown on this platform: the hook stops the server
            }
        }
    }
}
