package com.anycontact.innolicense.usage;

/**
 * What a span of minutes adds up to.
 *
 * @param peakInUse the largest {@link UsageMinute#maxInUse()}, 0 when there is no minute
 * @param claims the sum of claims
 * @param denials the sum of denials
 */
public record UsageTotals(int peakInUse, long claims, long denials) {

    /** The totals of no minute at all. */
    public static final UsageTotals NONE = new UsageTotals(0, 0, 0);

    /** Requires counts that are not negative. */
    public UsageTotals {
        if (peakInUse < 0 || claims < 0 || denials < 0) {
            throw new IllegalArgumentException("usage totals must not be negative");
        }
    }

    /** These totals with one more minute. */
    public UsageTotals plus(UsageMinute minute) {
        return new UsageTotals(
                Math.max(peakInUse, minute.maxInUse()), claims + minute.claims(), denials + minute.denials());
    }
}
