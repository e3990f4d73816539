package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link LoginThrottle} reads and changes in one step, for one username and address: the pair's counter,
 * the address's counter, when the pair last logged in successfully, and the global budget. A {@link
 * LoginThrottleStore} fills it, lets the throttle change it, and writes back what changed.
 */
public final class LoginThrottleRecords {

    private Optional<LoginFailures> pair;
    private Optional<LoginFailures> address;
    private Optional<Instant> knownGoodSince;
    private LoginBudget budget;
    private boolean pairChanged;
    private boolean addressChanged;
    private boolean knownGoodChanged;
    private boolean budgetChanged;

    /**
     * The records as the store holds them.
     *
     * @param pair the counter of the username from the address
     * @param address the counter of the address, for any usernames
     * @param knownGoodSince when the username last logged in successfully from the address
     * @param budget the global failure budget
     */
    public LoginThrottleRecords(
            Optional<LoginFailures> pair,
            Optional<LoginFailures> address,
            Optional<Instant> knownGoodSince,
            LoginBudget budget) {
        this.pair = Objects.requireNonNull(pair, "pair");
        this.address = Objects.requireNonNull(address, "address");
        this.knownGoodSince = Objects.requireNonNull(knownGoodSince, "knownGoodSince");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** The counter of the username from the address; empty when there is none. */
    public Optional<LoginFailures> pair() {
        return pair;
    }

    /** The counter of the address, for any usernames; empty when there is none. */
    public Optional<LoginFailures> address() {
        return address;
    }

    /** When the username last logged in successfully from the address. */
    public Optional<Instant> knownGoodSince() {
        return knownGoodSince;
    }

    /** The global failure budget. */
    public LoginBudget budget() {
        return budget;
    }

    /** Whether {@link #pair()} was changed, and must be written (empty: deleted). */
    public boolean pairChanged() {
        return pairChanged;
    }

    /** Whether {@link #address()} was changed, and must be written (empty: deleted). */
    public boolean addressChanged() {
        return addressChanged;
    }

    /** Whether {@link #knownGoodSince()} was changed, and must be written. */
    public boolean knownGoodChanged() {
        return knownGoodChanged;
    }

    /** Whether {@link #budget()} was changed, and must be written. */
    public boolean budgetChanged() {
        return budgetChanged;
    }

    void setPair(Optional<LoginFailures> pair) {
        this.pair = Objects.requireNonNull(pair, "pair");
        pairChanged = true;
    }

    void setAddress(Optional<LoginFailures> address) {
        this.address = Objects.requireNonNull(address, "address");
        addressChanged = true;
    }

    void setKnownGoodSince(Instant at) {
        this.knownGoodSince = Optional.of(at);
        knownGoodChanged = true;
    }

    void setBudget(LoginBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        budgetChanged = true;
    }
}
