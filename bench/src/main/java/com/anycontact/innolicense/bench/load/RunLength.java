package com.anycontact.innolicense.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each measurement runs: a warm-up, then the measured part. Either by wall-clock time (all
 * clients together) or, for quick checks, by a number of operations per client.
 */
sealed interface RunLength {

    /** By time: every client runs through {@code warmup}, then through {@code measure}. */
    record Timed(Duration warmup, Duration measure) implements RunLength {
        /** Requires a non-negative warm-up and a positive measurement. */
        public Timed {
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(measure, "measure");
            if (warmup.isNegative() || measure.isNegative() || measure.isZero()) {
                throw new IllegalArgumentException("warm-up must be ≥ 0 and measurement > 0");
            }
        }
    }

    /** By count: each client does {@code warmup} operations, then {@code measure} measured ones. */
    record Counted(int warmup, int measure) implements RunLength {
        /** Requires a non-negative warm-up and a positive measurement. */
        public Counted {
            if (warmup < 0 || measure < 1) {
                throw new IllegalArgumentException("warm-up must be ≥ 0 and measurement ≥ 1");
            }
        }
    }
}
