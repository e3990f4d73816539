package com.anycontact.innolicense.bench.load;

import java.util.Objects;

/**
 * What an acknowledged claim survives, and why.
 *
 * @param survives the worst failure an acked claim survives
 * @param how the setting that decides it, e.g. {@code fsync per commit}
 */
public record Durability(Survives survives, String how) {

    /** Requires both fields. */
    public Durability {
        Objects.requireNonNull(survives, "survives");
        Objects.requireNonNull(how, "how");
    }

    /** The worst failure an acked claim survives. */
    public enum Survives {
        /** Written to the disk before the ack: survives a power loss or operating-system crash. */
        POWER_LOSS("power loss"),
        /** In the operating system's file cache before the ack: survives {@code kill -9} of the process. */
        PROCESS_CRASH("process crash"),
        /** In memory only: a crash of the server loses it. */
        NOTHING("nothing");

        private final String label;

        Survives(String label) {
            this.label = label;
        }

        /** How reports name it. */
        public String label() {
            return label;
        }
    }
}
