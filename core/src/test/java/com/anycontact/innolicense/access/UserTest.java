package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void isValidUsername_acceptsAsciiLettersDigitsAndDotUnderscoreHyphenAt() {
        assertThat(User.isValidUsername("a")).isTrue();
        assertThat(User.isValidUsername("Jane.Doe_2-ops@example.com")).isTrue();
        assertThat(User.isValidUsername("x".repeat(64))).isTrue();

        assertThat(User.isValidUsername(null)).isFalse();
        assertThat(User.isValidUsername("")).isFalse();
        assertThat(User.isValidUsername("x".repeat(65))).isFalse();
        assertThat(User.isValidUsername("jane doe")).isFalse();
        assertThat(User.isValidUsername("j\u00f6rg")).isFalse();
        assertThat(User.isValidUsername("admin\n")).isFalse();
    }

    @Test
    void user_withAcdRoleOrBadName_isABug() {
        assertThatThrownBy(() -> new User("node", Role.ACD, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new User("bad name", Role.ADMIN, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storedUser_toString_leavesOutTheHash() {
        StoredUser stored = new StoredUser(new User("alice", Role.ADMIN, T0), "$argon2id$secret-hash");

        assertThat(stored.toString()).contains("alice").doesNotContain("secret-hash");
    }
}
