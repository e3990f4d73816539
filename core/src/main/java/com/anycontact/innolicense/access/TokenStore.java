package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API tokens are kept. A token's secret is never given to the store, only its digest
 * ({@link TokenSecrets#digest}); the store finds a token by that digest. Implementations are safe
 * for use by many threads at once, and a change is durable when its method returns.
 */
public interface TokenStore {

    /**
     * Adds a token.
     *
     * @param token the token, not revoked
     * @param secretDigest the digest of its secret, unique among all tokens
     */
    void create(ApiToken token, String secretDigest);

    /** The token, revoked or not, whose secret has that digest. */
    Optional<ApiToken> findBySecretDigest(String digest);

    /** All tokens, revoked ones included, oldest first. */
    List<ApiToken> list();

    /**
     * Revokes a token.
     *
     * @return {@code false} when there is no such token or it was revoked already
     */
    boolean revoke(String id, Instant at);
}
