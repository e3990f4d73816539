package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.StoredUser;
import com.anycontact.innolicense.access.User;
import com.anycontact.innolicense.access.UserStore;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UserStore} must do. A store's test extends this class and says how to open a
 * fresh store and how to reopen it over the same data, as after a restart of the server.
 */
public abstract class UserStoreContract {

    /** An instant in whole milliseconds, the precision every store keeps. */
    protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** The store under test, fresh for each test. */
    protected UserStore store;

    /** A new, empty store; called before each test. */
    protected abstract UserStore createStore() throws Exception;

    /** Closes the current store and opens a new one over the same data. */
    protected abstract UserStore reopenStore() throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void find_ofCreatedUser_returnsTheUserAndTheHash() {
        StoredUser alice = user("alice", Role.SUPERVISOR, "hash-of-alice");

        assertThat(store.create(alice)).isTrue();

        assertThat(store.find("alice")).contains(alice);
    }

    @Test
    void find_ofUnknownUser_isEmpty() {
        store.create(user("alice", Role.ADMIN, "h"));

        assertThat(store.find("bob")).isEmpty();
    }

    @Test
    void find_ignoresAsciiCase_andReturnsTheUsernameAsCreated() {
        store.create(user("Alice.Smith", Role.ADMIN, "h"));

        assertThat(store.find("alice.smith").orElseThrow().user().username()).isEqualTo("Alice.Smith");
        assertThat(store.find("ALICE.SMITH")).isPresent();
    }

    @Test
    void create_ofUsernameTakenInAnyCase_isFalseAndKeepsTheFirst() {
        StoredUser first = user("alice", Role.SUPERVISOR, "first");

        store.create(first);

        assertThat(store.create(user("alice", Role.ADMIN, "second"))).isFalse();
        assertThat(store.create(user("ALICE", Role.ADMIN, "third"))).isFalse();
        assertThat(store.find("alice")).contains(first);
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void list_isOrderedByUsernameIgnoringCase() {
        store.create(user("carol", Role.SUPERVISOR, "h"));
        store.create(user("Bob", Role.ADMIN, "h"));
        store.create(user("alice", Role.SUPERVISOR, "h"));

        assertThat(store.list())
                .containsExactly(
                        new User("alice", Role.SUPERVISOR, T0),
                        new User("Bob", Role.ADMIN, T0),
                        new User("carol", Role.SUPERVISOR, T0));
    }

    @Test
    void list_andCount_ofEmptyStore_areEmptyAndZero() {
        assertThat(store.list()).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void delete_removesTheUserIgnoringCase_andIsFalseWhenAbsent() {
        store.create(user("alice", Role.ADMIN, "h"));
        store.create(user("bob", Role.ADMIN, "h"));

        assertThat(store.delete("ALICE")).isTrue();

        assertThat(store.delete("alice")).isFalse();
        assertThat(store.find("alice")).isEmpty();
        assertThat(store.list()).extracting(User::username).containsExactly("bob");
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void setPasswordHash_replacesTheHashOnly_andIsFalseForUnknownUser() {
        store.create(user("alice", Role.SUPERVISOR, "old"));

        assertThat(store.setPasswordHash("Alice", "new")).isTrue();
        assertThat(store.setPasswordHash("bob", "new")).isFalse();

        assertThat(store.find("alice")).contains(user("alice", Role.SUPERVISOR, "new"));
        assertThat(store.find("bob")).isEmpty();
    }

    @Test
    void passwordChangeRequired_isKeptByARehash_andClearedByAPasswordChange() throws Exception {
        StoredUser generated = user("admin", Role.ADMIN, "generated");
        store.create(new StoredUser(generated.user(), "generated", true));
        assertThat(store.find("admin").orElseThrow().passwordChangeRequired()).isTrue();
        assertThat(store.find("alice")).isEmpty();

        assertThat(store.setPasswordHash("admin", "rehashed")).isTrue();
        assertThat(store.find("ADMIN")).contains(new StoredUser(generated.user(), "rehashed", true));

        assertThat(store.changePassword("Admin", "chosen")).isTrue();
        assertThat(store.changePassword("bob", "chosen")).isFalse();
        assertThat(store.find("admin")).contains(new StoredUser(generated.user(), "chosen", false));
    }

    @Test
    void users_surviveARestart() throws Exception {
        store.create(user("alice", Role.ADMIN, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));

        store = reopenStore();

        assertThat(store.find("alice"))
                .contains(user("alice", Role.ADMIN, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
        assertThat(store.count()).isEqualTo(1);
    }

    private static StoredUser user(String username, Role role, String hash) {
        return new StoredUser(new User(username, role, T0), hash);
    }
}
