package com.anycontact.innolicense.access;

import java.util.Objects;

/**
 * A new API token and its secret. The secret is known only here: show it once to whoever created
 * the token; it is stored only as a digest and cannot be shown again.
 *
 * @param token the token as listed
 * @param secret the secret to present as a bearer token
 */
public record CreatedToken(ApiToken token, String secret) implements TokenCreation {

    /** Requires both components. */
    public CreatedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secret, "secret");
    }

    /** Names the token without its secret, so the secret stays out of logs. */
    @Override
    public String toString() {
        return "CreatedToken[token=" + token + "]";
    }
}
