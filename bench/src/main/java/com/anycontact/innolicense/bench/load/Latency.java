package com.anycontact.innolicense.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram recorded in nanoseconds, in microseconds.
 *
 * @param count the operations recorded
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the slowest
 */
record Latency(long count, double p50, double p99, double p999, double max) {

    static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Latency of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return NONE;
        }
        return new Latency(
                nanos.getTotalCount(),
                nanos.getValueAtPercentile(50) / 1_000.0,
                nanos.getValueAtPercentile(99) / 1_000.0,
                nanos.getValueAtPercentile(99.9) / 1_000.0,
                nanos.getMaxValue() / 1_000.0);
    }
}
