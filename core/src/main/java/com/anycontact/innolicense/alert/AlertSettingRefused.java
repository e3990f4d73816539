package com.anycontact.innolicense.alert;

import java.util.Objects;

/**
 * A change to the alert settings broke a rule on its input; nothing was changed. The HTTP layer answers it with
 * 400 and this field and message.
 *
 * @param field the input at fault, as the API names it
 * @param message what is wrong and what to do, for people
 */
public record AlertSettingRefused(String field, String message) implements SubscriptionCreation {

    /** Requires both components. */
    public AlertSettingRefused {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
