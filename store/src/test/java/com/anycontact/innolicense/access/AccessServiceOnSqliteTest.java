package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.LoginResult.LoggedIn;
import com.anycontact.innolicense.access.LoginResult.Refused;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteTokenStore;
import com.anycontact.innolicense.store.sqlite.SqliteUserStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access control on the real SQLite stores in a real file, with a fake clock. */
class AccessServiceOnSqliteTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String ADDRESS = "192.0.2.10";
    private static final String ADMIN_PASSWORD = "first start password";
    private static final String BOOTSTRAP_SECRET = "bootstrap-secret-from-the-environment-0123";

    @TempDir
    Path dataDirectory;

    private final MovableClock clock = new MovableClock();
    private final List<String> audit = new ArrayList<>();
    private SqliteDatabase database;
    private AccessService access;

    @BeforeEach
    void open() {
        openAccess();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void bootstrap_thenLogin_asAdminIgnoringCase() {
        access.bootstrap(Optional.of(ADMIN_PASSWORD), Optional.empty());

        assertThat(access.login("Admin", ADMIN_PASSWORD.toCharArray(), ADDRESS))
                .isEqualTo(new LoggedIn(new Principal("admin", Role.ADMIN, Principal.Kind.USER, "admin")));
        assertThat(access.login("admin", "not the password".toCharArray(), ADDRESS))
                .isEqualTo(new Refused());
    }

    @Test
    void bootstrap_afterARestart_changesNothing() {
        Bootstrap first = access.bootstrap(Optional.of(ADMIN_PASSWORD), Optional.of(BOOTSTRAP_SECRET));
        reopen();

        Bootstrap second = access.bootstrap(Optional.of("a different password"), Optional.of(BOOTSTRAP_SECRET));

        assertThat(first).isEqualTo(new Bootstrap.Done(true, Optional.empty(), true));
        assertThat(second).isEqualTo(new Bootstrap.Done(false, Optional.empty(), false));
        assertThat(access.users()).extracting(User::username).containsExactly("admin");
        assertThat(access.tokens()).hasSize(1);
        assertThat(access.login("admin", ADMIN_PASSWORD.toCharArray(), ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void token_created_authenticates_untilRevoked_alsoAfterARestart() {
        Principal admin = adminPrincipal();
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, admin);
        assertThat(access.authenticateToken(created.secret()).orElseThrow().role())
                .isEqualTo(Role.ACD);

        reopen();
        assertThat(access.authenticateToken(created.secret()))
                .contains(new Principal(
                        "acd-node-1",
                        Role.ACD,
                        Principal.Kind.TOKEN,
                        created.token().id()));
        clock.advance(Duration.ofMinutes(1));
        assertThat(access.revokeToken(created.token().id(), admin)).isTrue();

        assertThat(access.authenticateToken(created.secret())).isEmpty();
        reopen();
        assertThat(access.authenticateToken(created.secret())).isEmpty();
        assertThat(access.tokens().getFirst().revokedAt()).contains(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void secretsAndPasswords_neverAppearInTheDatabaseFiles_onlyDigestsAndHashes() throws IOException {
        access.bootstrap(Optional.of(ADMIN_PASSWORD), Optional.of(BOOTSTRAP_SECRET));
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, adminPrincipal());
        access.createUser("supervisor", Role.SUPERVISOR, "supervisor password".toCharArray(), adminPrincipal());
        access.login("supervisor", "supervisor password".toCharArray(), ADDRESS);

        String whileOpen = databaseFileBytes();
        database.close();
        String afterClose = databaseFileBytes();

        for (String bytes : List.of(whileOpen, afterClose)) {
            assertThat(bytes)
                    .contains(TokenSecrets.digest(created.secret()))
                    .contains(TokenSecrets.digest(BOOTSTRAP_SECRET))
                    .doesNotContain(created.secret())
                    .doesNotContain(created.secret().substring(3))
                    .doesNotContain(BOOTSTRAP_SECRET)
                    .doesNotContain(ADMIN_PASSWORD)
                    .doesNotContain("supervisor password");
        }
        database = SqliteDatabase.open(dataDirectory);
    }

    @Test
    void users_createdChangedAndDeleted_areKeptAcrossARestart() {
        access.bootstrap(Optional.of(ADMIN_PASSWORD), Optional.empty());
        access.createUser("alice", Role.SUPERVISOR, "alice's password".toCharArray(), adminPrincipal());
        access.createUser("bob", Role.SUPERVISOR, "bob's password!!".toCharArray(), adminPrincipal());
        access.changePassword("alice", "alice's new password".toCharArray(), adminPrincipal());
        access.deleteUser("bob", adminPrincipal());

        reopen();

        assertThat(access.users()).extracting(User::username).containsExactly("admin", "alice");
        assertThat(access.login("alice", "alice's new password".toCharArray(), ADDRESS))
                .isInstanceOf(LoggedIn.class);
        assertThat(access.login("bob", "bob's password!!".toCharArray(), ADDRESS))
                .isEqualTo(new Refused());
        assertThat(access.deleteUser("admin", adminPrincipal())).isEqualTo(UserDeletion.LAST_ADMIN);
    }

    private Principal adminPrincipal() {
        return new Principal("admin", Role.ADMIN, Principal.Kind.USER, "admin");
    }

    private void reopen() {
        database.close();
        openAccess();
    }

    private void openAccess() {
        database = SqliteDatabase.open(dataDirectory);
        access = new AccessService(
                new SqliteUserStore(database),
                new SqliteTokenStore(database),
                new SaltedDigestHasher(),
                clock,
                (at, actor, type, detail) -> audit.add(type + " " + actor + " " + detail));
    }

    private String databaseFileBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dataDirectory)) {
            for (Path file : files.toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private static final class MovableClock implements InstantSource {
        private volatile Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }
}
