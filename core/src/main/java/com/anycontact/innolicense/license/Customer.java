package com.anycontact.innolicense.license;

import java.util.Objects;

/**
 * The customer a license is issued to.
 *
 * @param id the vendor's customer number, e.g. {@code C-77}
 * @param name the customer's name as printed on the order
 */
public record Customer(String id, String name) {

    /** Requires both fields. */
    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
