package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.access.ApiToken;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.TokenSecrets;
import com.anycontact.innolicense.access.TokenStore;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TokenStore} must do. A store's test extends this class and says how to open a
 * fresh store and how to reopen it over the same data, as after a restart of the server.
 */
public abstract class TokenStoreContract {

    /** An instant in whole milliseconds, the precision every store keeps. */
    protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** The store under test, fresh for each test. */
    protected TokenStore store;

    /** A new, empty store; called before each test. */
    protected abstract TokenStore createStore() throws Exception;

    /** Closes the current store and opens a new one over the same data. */
    protected abstract TokenStore reopenStore() throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void findBySecretDigest_ofCreatedToken_returnsIt() {
        ApiToken token = token("00000000000000a1", "acd-node-1", Role.ACD, T0);

        store.create(token, digest("secret-1"));

        assertThat(store.findBySecretDigest(digest("secret-1"))).contains(token);
    }

    @Test
    void findBySecretDigest_keepsTheExpiryAndTheNodeBinding() {
        ApiToken token = new ApiToken(
                "00000000000000b2",
                "acd-node-2",
                Role.ACD,
                T0,
                "admin",
                Optional.empty(),
                Optional.of(T0.plus(java.time.Duration.ofDays(90))),
                Optional.of("acd-2"));

        store.create(token, digest("secret-2"));

        assertThat(store.findBySecretDigest(digest("secret-2"))).contains(token);
        assertThat(store.list()).containsExactly(token);
    }

    @Test
    void findBySecretDigest_ofUnknownDigest_isEmpty() {
        store.create(token("00000000000000a1", "acd-node-1", Role.ACD, T0), digest("secret-1"));

        assertThat(store.findBySecretDigest(digest("secret-2"))).isEmpty();
    }

    @Test
    void create_withDigestOfAnExistingToken_failsAndKeepsTheFirst() {
        ApiToken first = token("00000000000000a1", "first", Role.ACD, T0);
        store.create(first, digest("secret-1"));

        assertThatThrownBy(() -> store.create(token("00000000000000a2", "second", Role.ADMIN, T0), digest("secret-1")))
                .isInstanceOf(RuntimeException.class);

        assertThat(store.findBySecretDigest(digest("secret-1"))).contains(first);
        assertThat(store.list()).containsExactly(first);
    }

    @Test
    void list_isOldestFirstAndIncludesRevokedTokens() {
        ApiToken later = token("00000000000000b2", "later", Role.SUPERVISOR, T0.plusSeconds(60));
        ApiToken earlier = token("00000000000000b1", "earlier", Role.ADMIN, T0);
        store.create(later, digest("later"));
        store.create(earlier, digest("earlier"));
        store.revoke(earlier.id(), T0.plusSeconds(120));

        assertThat(store.list()).containsExactly(revoked(earlier, T0.plusSeconds(120)), later);
    }

    @Test
    void revoke_recordsWhen_andTheTokenIsStillFoundAsRevoked() {
        ApiToken token = token("00000000000000a1", "acd-node-1", Role.ACD, T0);
        store.create(token, digest("secret-1"));

        assertThat(store.revoke(token.id(), T0.plusSeconds(30))).isTrue();

        assertThat(store.findBySecretDigest(digest("secret-1"))).contains(revoked(token, T0.plusSeconds(30)));
    }

    @Test
    void revoke_ofRevokedOrUnknownToken_isFalseAndKeepsTheFirstRevocation() {
        ApiToken token = token("00000000000000a1", "acd-node-1", Role.ACD, T0);
        store.create(token, digest("secret-1"));
        store.revoke(token.id(), T0.plusSeconds(30));

        assertThat(store.revoke(token.id(), T0.plusSeconds(90))).isFalse();
        assertThat(store.revoke("ffffffffffffffff", T0)).isFalse();

        assertThat(store.list()).containsExactly(revoked(token, T0.plusSeconds(30)));
    }

    @Test
    void tokens_andRevocations_surviveARestart() throws Exception {
        ApiToken kept = token("00000000000000a1", "kept", Role.ACD, T0);
        ApiToken gone = token("00000000000000a2", "gone", Role.ADMIN, T0.plusSeconds(1));
        store.create(kept, digest("kept"));
        store.create(gone, digest("gone"));
        store.revoke(gone.id(), T0.plusSeconds(2));

        store = reopenStore();

        assertThat(store.findBySecretDigest(digest("kept"))).contains(kept);
        assertThat(store.findBySecretDigest(digest("gone"))).contains(revoked(gone, T0.plusSeconds(2)));
    }

    private static ApiToken token(String id, String name, Role role, Instant createdAt) {
        return new ApiToken(id, name, role, createdAt, "admin", Optional.empty());
    }

    private static ApiToken revoked(ApiToken token, Instant at) {
        return new ApiToken(
                token.id(), token.name(), token.role(), token.createdAt(), token.createdBy(), Optional.of(at));
    }

    private static String digest(String secret) {
        return TokenSecrets.digest(secret);
    }
}
