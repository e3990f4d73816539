package com.anycontact.innolicense.access;

import java.util.Objects;

/**
 * A request to access control broke a rule on its input; nothing was changed. The HTTP layer
 * answers it with 400 and this field and message.
 *
 * @param field the input at fault, as the API names it ({@code username}, {@code password},
 *     {@code role}, {@code name}, {@code adminPassword}, {@code bootstrapToken})
 * @param message what is wrong, for people
 */
public record InvalidInput(String field, String message)
        implements TokenCreation, UserCreation, PasswordChange, Bootstrap {

    /** Requires both components. */
    public InvalidInput {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
