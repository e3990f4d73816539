package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.LoginResult.LoggedIn;
import com.anycontact.innolicense.access.LoginResult.Refused;
import com.anycontact.innolicense.access.LoginResult.Throttled;
import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access control on hand-written fakes with a fake clock. */
class AccessServiceTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String ADDRESS = "192.0.2.10";
    private static final char[] ALICE_PASSWORD = "correct horse battery".toCharArray();
    private static final Principal ROOT = new Principal("root", Role.ADMIN, Principal.Kind.USER, "root");

    private final FakeClock clock = new FakeClock(T0);
    private final InMemoryUserStore userStore = new InMemoryUserStore();
    private final InMemoryTokenStore tokenStore = new InMemoryTokenStore();
    private final FakePasswordHasher hasher = new FakePasswordHasher();
    private final RecordingAuditSink audit = new RecordingAuditSink();
    private final Ticker ticker = () -> Duration.between(T0, clock.instant()).toNanos();
    private final AccessService access = new AccessService(userStore, tokenStore, hasher, clock, audit, ticker);

    @BeforeEach
    void createAlice() {
        assertThat(access.createUser("alice", Role.SUPERVISOR, ALICE_PASSWORD, ROOT))
                .isInstanceOf(UserCreation.Created.class);
        audit.events.clear();
    }

    @Test
    void login_withRightPassword_isLoggedInAsTheUserAndAudited() {
        LoginResult result = access.login("alice", ALICE_PASSWORD, ADDRESS);

        assertThat(result)
                .isEqualTo(new LoggedIn(new Principal("alice", Role.SUPERVISOR, Principal.Kind.USER, "alice")));
        assertThat(audit.events)
                .containsExactly(new RecordingAuditSink.Event(T0, "alice", AuditSink.LOGIN, "from " + ADDRESS));
    }

    @Test
    void login_ignoresAsciiCaseOfTheUsername_andNamesTheUserAsCreated() {
        LoginResult result = access.login("ALICE", ALICE_PASSWORD, ADDRESS);

        assertThat(((LoggedIn) result).principal().name()).isEqualTo("alice");
    }

    @Test
    void login_withWrongPassword_isRefusedAndAuditedWithoutThePassword() {
        LoginResult result = access.login("alice", "wrong password!".toCharArray(), ADDRESS);

        assertThat(result).isEqualTo(new Refused());
        assertThat(audit.events)
                .containsExactly(new RecordingAuditSink.Event(T0, "alice", AuditSink.LOGIN_FAILED, "from " + ADDRESS));
        assertThat(audit.events.toString()).doesNotContain("wrong password!");
    }

    @Test
    void login_ofUnknownUser_isRefusedAfterCheckingAHashJustAsForAWrongPassword() {
        int before = hasher.verifications.get();
        LoginResult wrongPassword = access.login("alice", "wrong password!".toCharArray(), ADDRESS);
        int forWrongPassword = hasher.verifications.get() - before;

        before = hasher.verifications.get();
        LoginResult unknownUser = access.login("mallory", "wrong password!".toCharArray(), "192.0.2.11");
        int forUnknownUser = hasher.verifications.get() - before;

        assertThat(unknownUser).isEqualTo(wrongPassword).isEqualTo(new Refused());
        assertThat(forUnknownUser).isEqualTo(forWrongPassword).isEqualTo(1);
    }

    @Test
    void login_withMalformedUsername_isRefusedAndAuditedWithoutWhatWasTyped() {
        LoginResult result = access.login("correct horse battery", ALICE_PASSWORD, ADDRESS);

        assertThat(result).isEqualTo(new Refused());
        assertThat(audit.last().actor()).isEqualTo("(not a username)");
    }

    @Test
    void login_afterFiveFailures_isThrottledForOneSecondWithoutCheckingThePassword() {
        failLogins("alice", ADDRESS, 5);
        int verifications = hasher.verifications.get();

        LoginResult result = access.login("alice", ALICE_PASSWORD, ADDRESS);

        assertThat(result).isEqualTo(new Throttled(Duration.ofSeconds(1)));
        assertThat(hasher.verifications.get()).isEqualTo(verifications);
        clock.advance(Duration.ofMillis(400));
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Throttled(Duration.ofMillis(600)));
    }

    @Test
    void login_withManyWrongGuessesAtOnce_checksAtMostFiveBeforeTheLockout() throws Exception {
        int guesses = 20;
        CountDownLatch settled = new CountDownLatch(guesses);
        CountDownLatch finishChecks = new CountDownLatch(1);
        PasswordHasher slowHasher = new PasswordHasher() {
            @Override
            public String hash(char[] password) {
                return hasher.hash(password);
            }

            @Override
            public boolean verify(char[] password, String hash) {
                settled.countDown();
                try {
                    finishChecks.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return hasher.verify(password, hash);
            }
        };
        AccessService slow = new AccessService(userStore, tokenStore, slowHasher, clock, audit, ticker, guesses);
        int verifications = hasher.verifications.get();
        List<Future<LoginResult>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(guesses)) {
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < guesses; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    LoginResult result = slow.login("alice", wrong(), "198.51.100.1");
                    if (result instanceof Throttled) {
                        settled.countDown();
                    }
                    return result;
                }));
            }
            start.countDown();
            assertThat(settled.await(10, TimeUnit.SECONDS)).isTrue();
            finishChecks.countDown();
        }

        assertThat(hasher.verifications.get() - verifications).isEqualTo(5);
        assertThat(results.stream().map(AccessServiceTest::get).filter(Refused.class::isInstance))
                .hasSize(5);
    }

    private static LoginResult get(Future<LoginResult> result) {
        try {
            return result.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void login_afterFourFailures_isStillChecked() {
        failLogins("alice", ADDRESS, 4);

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_whenFailuresGoOn_lockoutDoublesUpToFifteenMinutes() {
        failLogins("alice", ADDRESS, 5);
        Duration expected = Duration.ofSeconds(1);
        for (int failure = 6; failure <= 20; failure++) {
            assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS))
                    .as("lockout after failure %d", failure - 1)
                    .isEqualTo(new Throttled(expected));
            clock.advance(expected);
            assertThat(access.login("alice", wrong(), ADDRESS)).isEqualTo(new Refused());
            expected = expected.multipliedBy(2);
            if (expected.compareTo(Duration.ofMinutes(15)) > 0) {
                expected = Duration.ofMinutes(15);
            }
        }
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Throttled(Duration.ofMinutes(15)));
    }

    @Test
    void login_success_clearsTheCountOfFailures() {
        failLogins("alice", ADDRESS, 4);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);

        failLogins("alice", ADDRESS, 4);

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_afterLockoutEndsAndRightPassword_isLoggedInAndStartsAfresh() {
        failLogins("alice", ADDRESS, 5);
        clock.advance(Duration.ofSeconds(1));
        failLogins("alice", ADDRESS, 1);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Throttled(Duration.ofSeconds(2)));
        clock.advance(Duration.ofSeconds(2));

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
        failLogins("alice", ADDRESS, 4);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_afterManyFailuresForTheUserFromOtherAddresses_isNotLockedOut() {
        // the hole: five wrong passwords for a known user from anywhere locked out even the right one
        for (int i = 0; i < 30; i++) {
            assertThat(access.login("alice", wrong(), "198.51.100." + i)).isEqualTo(new Refused());
        }

        assertThat(access.login("alice", ALICE_PASSWORD, "203.0.113.1")).isInstanceOf(LoggedIn.class);
        assertThat(access.login("ALICE", ALICE_PASSWORD, "203.0.113.2")).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_afterFiveFailuresForOneUserFromOneAddress_locksOnlyThatPair() {
        failLogins("alice", ADDRESS, 5);

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(Throttled.class);
        assertThat(access.login("alice", ALICE_PASSWORD, "203.0.113.1")).isInstanceOf(LoggedIn.class);
        createUser("bob");
        assertThat(access.login("bob", BOB_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_ofManyUsernamesFromOneAddress_isThrottledByAddressAfterTwenty() {
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            assertThat(access.login("user" + i, wrong(), ADDRESS)).isEqualTo(new Refused());
        }

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Throttled(Duration.ofSeconds(1)));
        assertThat(access.login("alice", ALICE_PASSWORD, "203.0.113.1")).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_fromManyAddressesOfOneIpv6Slash64_isThrottledAsOneAddress() {
        // the hole: IPv6 addresses were counted one by one, so a /64 gave an attacker 2^64 fresh addresses
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            assertThat(access.login("user" + i, wrong(), "2001:db8:1:2::" + Integer.toHexString(i + 1)))
                    .isEqualTo(new Refused());
        }

        assertThat(access.login("alice", ALICE_PASSWORD, "2001:db8:1:2:ffff::9"))
                .isInstanceOf(Throttled.class);
        assertThat(access.login("alice", ALICE_PASSWORD, "2001:db8:1:3::1")).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_whenTheGlobalFailureBudgetIsSpent_waitsExceptForAKnownGoodAddress() {
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
        createUser("bob");
        for (int i = 0; i < LoginThrottle.GLOBAL_BUDGET; i++) {
            assertThat(access.login("alice", wrong(), "10.0." + (i / 250) + "." + (i % 250)))
                    .isEqualTo(new Refused());
        }

        assertThat(access.login("mallory", wrong(), "10.9.9.9")).isEqualTo(new Throttled(Duration.ofSeconds(1)));
        assertThat(access.login("bob", BOB_PASSWORD, "203.0.113.7")).isInstanceOf(Throttled.class);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
        clock.advance(LoginThrottle.GLOBAL_REFILL);
        assertThat(access.login("bob", BOB_PASSWORD, "203.0.113.7")).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_fromAKnownGoodAddress_isNotKeptOutByItsAddressLock() {
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES + 5; i++) {
            access.login("user" + i, wrong(), ADDRESS);
        }

        assertThat(access.login("mallory", wrong(), ADDRESS)).isInstanceOf(Throttled.class);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_lockout_isMeasuredOnTheTickerNotTheWallClock() {
        FakeClock wall = new FakeClock(T0);
        AtomicLong nanos = new AtomicLong();
        AccessService service = new AccessService(userStore, tokenStore, hasher, wall, audit, nanos::get);
        for (int i = 0; i < 5; i++) {
            service.login("alice", wrong(), ADDRESS);
        }

        wall.advance(Duration.ofDays(2));
        assertThat(service.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Throttled(Duration.ofSeconds(1)));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(service.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_beyondTheConcurrentVerifications_isBusyAtOnceWithoutHashing() throws Exception {
        int limit = AccessService.MAX_CONCURRENT_VERIFICATIONS;
        CountDownLatch checking = new CountDownLatch(limit);
        CountDownLatch finishChecks = new CountDownLatch(1);
        AtomicLong hashed = new AtomicLong();
        PasswordHasher slowHasher = new PasswordHasher() {
            @Override
            public String hash(char[] password) {
                return hasher.hash(password);
            }

            @Override
            public boolean verify(char[] password, String hash) {
                hashed.incrementAndGet();
                checking.countDown();
                try {
                    finishChecks.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return hasher.verify(password, hash);
            }
        };
        AccessService slow = new AccessService(userStore, tokenStore, slowHasher, clock, audit, ticker);
        List<Future<LoginResult>> held = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(limit)) {
            for (int i = 0; i < limit; i++) {
                String address = "198.51.100." + i;
                held.add(threads.submit(() -> slow.login("alice", wrong(), address)));
            }
            assertThat(checking.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(slow.login("alice", ALICE_PASSWORD, "203.0.113.1")).isEqualTo(new LoginResult.Busy());
            assertThat(slow.passwordChecksInProgress()).isEqualTo(limit);
            finishChecks.countDown();
        }
        assertThat(hashed.get()).isEqualTo(limit);
        assertThat(held.stream().map(AccessServiceTest::get)).allMatch(Refused.class::isInstance);
        assertThat(slow.login("alice", ALICE_PASSWORD, "203.0.113.1")).isInstanceOf(LoggedIn.class);
    }

    @Test
    void unlock_byUsernameOrAddress_liftsTheLockoutsAndIsAudited() {
        failLogins("alice", ADDRESS, 5);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(Throttled.class);

        assertThat(access.unlock("ALICE", ROOT)).isEqualTo(1);

        assertThat(audit.last())
                .isEqualTo(new RecordingAuditSink.Event(
                        T0, "root", AuditSink.LOGIN_UNLOCKED, "user ALICE: 1 throttle counters cleared"));
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);

        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            access.login("user" + i, wrong(), "2001:db8::1");
        }
        assertThat(access.login("alice", ALICE_PASSWORD, "2001:db8::2")).isInstanceOf(Throttled.class);
        assertThat(access.unlock("2001:db8::99", ROOT)).isEqualTo(LoginThrottle.ADDRESS_FREE_FAILURES + 1);
        assertThat(audit.last().detail()).isEqualTo("address 2001:db8:0:0::/64: 21 throttle counters cleared");
        assertThat(access.login("alice", ALICE_PASSWORD, "2001:db8::2")).isInstanceOf(LoggedIn.class);
    }

    @Test
    void login_ofUnknownUsername_isThrottledLikeAKnownOne() {
        for (int i = 0; i < 5; i++) {
            access.login("mallory", wrong(), ADDRESS);
        }

        assertThat(access.login("mallory", wrong(), ADDRESS)).isEqualTo(new Throttled(Duration.ofSeconds(1)));
    }

    private static final char[] BOB_PASSWORD = "bob's own long password".toCharArray();

    private void createUser(String username) {
        assertThat(access.createUser(username, Role.SUPERVISOR, BOB_PASSWORD, ROOT))
                .isInstanceOf(UserCreation.Created.class);
    }

    @Test
    void login_withHashOfOlderParameters_rehashesThePassword() {
        hasher.version = 2;

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);

        assertThat(userStore.find("alice").orElseThrow().passwordHash()).startsWith("fake$2$");
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void createToken_givesASecretShownOnceAndStoresOnlyItsDigest() {
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, ROOT);

        assertThat(created.secret()).startsWith("il_").hasSize(46).matches("il_[A-Za-z0-9_-]{43}");
        assertThat(created.token().name()).isEqualTo("acd-node-1");
        assertThat(created.token().role()).isEqualTo(Role.ACD);
        assertThat(created.token().createdAt()).isEqualTo(T0);
        assertThat(created.token().createdBy()).isEqualTo("root");
        assertThat(created.token().revokedAt()).isEmpty();
        assertThat(created.toString()).doesNotContain(created.secret());
        assertThat(tokenStore.rows).singleElement().satisfies(row -> {
            assertThat(row.secretDigest()).isEqualTo(TokenSecrets.digest(created.secret()));
            assertThat(row.toString()).doesNotContain(created.secret());
        });
        assertThat(audit.last().type()).isEqualTo(AuditSink.TOKEN_CREATED);
        assertThat(audit.last().detail()).contains(created.token().id(), "acd-node-1", "ACD");
        assertThat(audit.events.toString()).doesNotContain(created.secret());
    }

    @Test
    void createToken_twice_givesDifferentSecretsAndIds() {
        CreatedToken first = (CreatedToken) access.createToken("one", Role.ACD, ROOT);
        CreatedToken second = (CreatedToken) access.createToken("one", Role.ACD, ROOT);

        assertThat(first.secret()).isNotEqualTo(second.secret());
        assertThat(first.token().id()).isNotEqualTo(second.token().id());
    }

    @Test
    void authenticateToken_ofCreatedToken_isItsPrincipalUntilRevoked() {
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, ROOT);

        assertThat(access.authenticateToken(created.secret()))
                .contains(new Principal(
                        "acd-node-1",
                        Role.ACD,
                        Principal.Kind.TOKEN,
                        created.token().id()));

        clock.advance(Duration.ofMinutes(5));
        assertThat(access.revokeToken(created.token().id(), ROOT)).isTrue();

        assertThat(access.authenticateToken(created.secret())).isEmpty();
        assertThat(access.tokens())
                .singleElement()
                .satisfies(token -> assertThat(token.revokedAt()).contains(T0.plus(Duration.ofMinutes(5))));
        assertThat(audit.last())
                .isEqualTo(new RecordingAuditSink.Event(
                        T0.plus(Duration.ofMinutes(5)),
                        "root",
                        AuditSink.TOKEN_REVOKED,
                        "token " + created.token().id()));
    }

    @Test
    void authenticateToken_again_withinTheRecheckTime_doesNotAskTheStore() {
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, ROOT);
        access.authenticateToken(created.secret());
        int lookups = tokenStore.lookups;

        clock.advance(AccessService.TOKEN_RECHECK.minusMillis(1));
        assertThat(access.authenticateToken(created.secret())).isPresent();

        assertThat(tokenStore.lookups).isEqualTo(lookups);
    }

    @Test
    void authenticateToken_revokedByAnotherNode_stopsWorkingAfterTheRecheckTime() {
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, ROOT);
        assertThat(access.authenticateToken(created.secret())).isPresent();

        tokenStore.revoke(created.token().id(), T0);
        clock.advance(AccessService.TOKEN_RECHECK.minusMillis(1));
        assertThat(access.authenticateToken(created.secret())).isPresent();
        clock.advance(Duration.ofMillis(1));

        assertThat(access.authenticateToken(created.secret())).isEmpty();
    }

    @Test
    void authenticateToken_atItsExpiry_isRefusedEvenFromTheCache_andTellsWhen() {
        Instant expiry = T0.plus(Duration.ofDays(90));
        CreatedToken created =
                (CreatedToken) access.createToken("acd-node-1", Role.ACD, Optional.of(expiry), Optional.empty(), ROOT);
        clock.advance(Duration.ofDays(90).minusSeconds(2));
        assertThat(access.authenticateToken(created.secret())).isPresent();
        assertThat(access.knownToken(created.secret())).isPresent();

        clock.advance(Duration.ofSeconds(2));

        assertThat(access.knownToken(created.secret())).isEmpty();
        assertThat(access.authenticateToken(created.secret())).isEmpty();
        assertThat(access.expiredAt(created.secret())).contains(expiry);
        assertThat(access.tokens())
                .singleElement()
                .satisfies(token -> assertThat(token.expiresAt()).contains(expiry));
    }

    @Test
    void createToken_withAPastExpiryOrANodeForAnotherRole_isInvalidInput() {
        assertThat(access.createToken("x", Role.ACD, Optional.of(T0), Optional.empty(), ROOT))
                .isEqualTo(new InvalidInput("expiresAt", "a token's expiry must be in the future"));
        assertThat(access.createToken("x", Role.SUPERVISOR, Optional.empty(), Optional.of("acd-1"), ROOT))
                .isInstanceOf(InvalidInput.class)
                .extracting(result -> ((InvalidInput) result).field())
                .isEqualTo("node");
    }

    @Test
    void boundNode_andClaimCounts_followTheToken() {
        CreatedToken bound =
                (CreatedToken) access.createToken("acd-node-1", Role.ACD, Optional.empty(), Optional.of("acd-1"), ROOT);
        CreatedToken free = (CreatedToken) access.createToken("acd-node-2", Role.ACD, ROOT);
        Principal boundPrincipal = access.authenticateToken(bound.secret()).orElseThrow();
        Principal freePrincipal = access.authenticateToken(free.secret()).orElseThrow();

        access.countClaim(boundPrincipal);
        access.countClaim(boundPrincipal);

        assertThat(access.boundNode(boundPrincipal)).contains("acd-1");
        assertThat(access.boundNode(freePrincipal)).isEmpty();
        assertThat(access.claimsSinceStart(bound.token().id())).isEqualTo(2);
        assertThat(access.claimsSinceStart(free.token().id())).isZero();
        assertThat(audit.last().detail()).endsWith("with role ACD");
        assertThat(audit.events)
                .anySatisfy(event -> assertThat(event.detail()).endsWith("with role ACD, bound to node acd-1"));
    }

    @Test
    void whenTokenRevoked_isToldOfEachRevocation_once() {
        java.util.List<String> revoked = new java.util.ArrayList<>();
        access.whenTokenRevoked(revoked::add);
        CreatedToken created = (CreatedToken) access.createToken("wallboard", Role.SUPERVISOR, ROOT);

        access.revokeToken(created.token().id(), ROOT);
        access.revokeToken(created.token().id(), ROOT);
        access.revokeToken("unknown", ROOT);

        assertThat(revoked).containsExactly(created.token().id());
    }

    @Test
    void revokeToken_ofUnknownOrRevokedToken_isFalse() {
        CreatedToken created = (CreatedToken) access.createToken("acd-node-1", Role.ACD, ROOT);
        access.revokeToken(created.token().id(), ROOT);

        assertThat(access.revokeToken(created.token().id(), ROOT)).isFalse();
        assertThat(access.revokeToken("0123456789abcdef", ROOT)).isFalse();
        assertThat(access.revokeToken(null, ROOT)).isFalse();
    }

    @Test
    void authenticateToken_ofMalformedOrUnknownSecret_isEmpty() {
        access.createToken("acd-node-1", Role.ACD, ROOT);

        assertThat(access.authenticateToken(null)).isEmpty();
        assertThat(access.authenticateToken("")).isEmpty();
        assertThat(access.authenticateToken("il_short")).isEmpty();
        assertThat(access.authenticateToken("il_" + "x".repeat(300))).isEmpty();
        assertThat(access.authenticateToken("il_ with spaces and enough characters to be long"))
                .isEmpty();
        assertThat(access.authenticateToken(TokenSecrets.generate())).isEmpty();
    }

    @Test
    void authenticateToken_byAToken_namesTheTokenInTheAuditOfWhatItDoes() {
        CreatedToken admin = (CreatedToken) access.createToken("automation", Role.ADMIN, ROOT);
        Principal principal = access.authenticateToken(admin.secret()).orElseThrow();

        access.createToken("acd-node-1", Role.ACD, principal);

        assertThat(audit.last().actor()).isEqualTo("token:" + admin.token().id() + " (automation)");
    }

    @Test
    void createToken_withBadNameOrNoRole_isInvalidInputAndCreatesNothing() {
        assertThat(access.createToken("", Role.ACD, ROOT)).isEqualTo(new InvalidInput("name", ApiToken.NAME_RULE));
        assertThat(access.createToken(" padded", Role.ACD, ROOT)).isInstanceOf(InvalidInput.class);
        assertThat(access.createToken("x".repeat(65), Role.ACD, ROOT)).isInstanceOf(InvalidInput.class);
        assertThat(access.createToken(null, Role.ACD, ROOT)).isInstanceOf(InvalidInput.class);
        assertThat(access.createToken("acd", null, ROOT))
                .isInstanceOfSatisfying(
                        InvalidInput.class,
                        invalid -> assertThat(invalid.field()).isEqualTo("role"));
        assertThat(access.tokens()).isEmpty();
        assertThat(audit.events).isEmpty();
    }

    @Test
    void createUser_withElevenCharacterPassword_isInvalidInputNamingTheRule() {
        UserCreation result = access.createUser("bob", Role.SUPERVISOR, "abcdefghijk".toCharArray(), ROOT);

        assertThat(result).isEqualTo(new InvalidInput("password", AccessService.PASSWORD_RULE));
        assertThat(AccessService.PASSWORD_RULE).contains("at least 12 characters");
        assertThat(userStore.find("bob")).isEmpty();
    }

    @Test
    void createUser_withTwelveCharacterPassword_isCreatedAndCanLogIn() {
        char[] password = "abcdefghijkl".toCharArray();

        UserCreation result = access.createUser("bob", Role.ADMIN, password, ROOT);

        assertThat(result).isEqualTo(new UserCreation.Created(new User("bob", Role.ADMIN, T0)));
        assertThat(access.login("bob", password, ADDRESS)).isInstanceOf(LoggedIn.class);
        assertThat(userStore.find("bob").orElseThrow().passwordHash()).isNotEqualTo("abcdefghijkl");
    }

    @Test
    void createUser_countsCharactersNotUtf16Units() {
        String elevenEmoji = "\uD83D\uDD11".repeat(11);

        assertThat(access.createUser("bob", Role.ADMIN, elevenEmoji.toCharArray(), ROOT))
                .isInstanceOf(InvalidInput.class);
    }

    @Test
    void createUser_withBadUsernameOrRole_isInvalidInput() {
        assertThat(access.createUser("bob smith", Role.ADMIN, ALICE_PASSWORD, ROOT))
                .isEqualTo(new InvalidInput("username", User.USERNAME_RULE));
        assertThat(access.createUser("x".repeat(65), Role.ADMIN, ALICE_PASSWORD, ROOT))
                .isInstanceOf(InvalidInput.class);
        assertThat(access.createUser("bob", Role.ACD, ALICE_PASSWORD, ROOT))
                .isEqualTo(new InvalidInput("role", "a user's role is ADMIN or SUPERVISOR"));
        assertThat(access.createUser("bob", null, ALICE_PASSWORD, ROOT)).isInstanceOf(InvalidInput.class);
        assertThat(access.users()).extracting(User::username).containsExactly("alice");
    }

    @Test
    void createUser_whoseUsernameDiffersOnlyInCase_isTaken() {
        assertThat(access.createUser("Alice", Role.ADMIN, ALICE_PASSWORD, ROOT))
                .isEqualTo(new UserCreation.UsernameTaken("Alice"));
    }

    @Test
    void createUser_isAuditedWithTheActor() {
        access.createUser("bob", Role.ADMIN, ALICE_PASSWORD, ROOT);

        assertThat(audit.events)
                .containsExactly(
                        new RecordingAuditSink.Event(T0, "root", AuditSink.USER_CREATED, "user bob with role ADMIN"));
    }

    @Test
    void deleteUser_ofTheLastAdmin_isRefused_otherwiseDeletes() {
        access.createUser("root", Role.ADMIN, ALICE_PASSWORD, ROOT);

        assertThat(access.deleteUser("root", ROOT)).isEqualTo(UserDeletion.LAST_ADMIN);
        assertThat(access.deleteUser("alice", ROOT)).isEqualTo(UserDeletion.DELETED);
        assertThat(access.deleteUser("alice", ROOT)).isEqualTo(UserDeletion.NOT_FOUND);
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Refused());

        access.createUser("second", Role.ADMIN, ALICE_PASSWORD, ROOT);
        assertThat(access.deleteUser("ROOT", ROOT)).isEqualTo(UserDeletion.DELETED);
        assertThat(access.users()).extracting(User::username).containsExactly("second");
        assertThat(audit.types()).filteredOn(AuditSink.USER_DELETED::equals).hasSize(2);
    }

    @Test
    void changePassword_replacesThePassword() {
        char[] newPassword = "a much better passphrase".toCharArray();

        assertThat(access.changePassword("alice", newPassword, ROOT)).isEqualTo(new PasswordChange.Changed());

        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isEqualTo(new Refused());
        assertThat(access.login("alice", newPassword, ADDRESS)).isInstanceOf(LoggedIn.class);
        assertThat(audit.types()).contains(AuditSink.PASSWORD_CHANGED);
        assertThat(audit.events.toString()).doesNotContain("a much better passphrase");
    }

    @Test
    void changePassword_toWeakPasswordOrOfUnknownUser_changesNothing() {
        assertThat(access.changePassword("alice", "short".toCharArray(), ROOT))
                .isEqualTo(new InvalidInput("password", AccessService.PASSWORD_RULE));
        assertThat(access.changePassword("nobody", "long enough password".toCharArray(), ROOT))
                .isEqualTo(new PasswordChange.UnknownUser());
        assertThat(access.login("alice", ALICE_PASSWORD, ADDRESS)).isInstanceOf(LoggedIn.class);
    }

    @Test
    void bootstrap_withPassword_createsAdminWithIt_once() {
        AccessService fresh = freshService();

        Bootstrap first = fresh.bootstrap(Optional.of("first start password"), Optional.empty());
        Bootstrap second = fresh.bootstrap(Optional.of("another password entirely"), Optional.empty());

        assertThat(first).isEqualTo(new Bootstrap.Done(true, Optional.empty(), false));
        assertThat(second).isEqualTo(new Bootstrap.Done(false, Optional.empty(), false));
        assertThat(fresh.users()).containsExactly(new User("admin", Role.ADMIN, T0));
        assertThat(fresh.login("admin", "first start password".toCharArray(), ADDRESS))
                .isInstanceOf(LoggedIn.class);
        assertThat(fresh.login("admin", "another password entirely".toCharArray(), ADDRESS))
                .isEqualTo(new Refused());
        assertThat(audit.events)
                .first()
                .isEqualTo(new RecordingAuditSink.Event(
                        T0, "bootstrap", AuditSink.USER_CREATED, "user admin with role ADMIN"));
    }

    @Test
    void bootstrap_withoutPassword_generatesOneThatLogsIn() {
        AccessService fresh = freshService();

        Bootstrap.Done done = (Bootstrap.Done) fresh.bootstrap(Optional.empty(), Optional.empty());

        String generated = done.generatedPassword().orElseThrow();
        assertThat(generated).hasSizeGreaterThanOrEqualTo(AccessService.MIN_PASSWORD_LENGTH);
        assertThat(done.toString()).doesNotContain(generated);
        assertThat(fresh.login("admin", generated.toCharArray(), ADDRESS)).isInstanceOf(LoggedIn.class);
        assertThat(fresh.bootstrap(Optional.empty(), Optional.empty()))
                .isEqualTo(new Bootstrap.Done(false, Optional.empty(), false));
    }

    @Test
    void bootstrap_generatedPassword_mustBeChanged_aChosenOneNeedNot() {
        AccessService generated = freshService();
        AccessService chosen = freshService();

        generated.bootstrap(Optional.empty(), Optional.empty());
        chosen.bootstrap(Optional.of("first start password"), Optional.empty());

        assertThat(generated.passwordChangeRequired("ADMIN")).isTrue();
        assertThat(chosen.passwordChangeRequired("admin")).isFalse();
        assertThat(generated.passwordChangeRequired("nobody")).isFalse();
        assertThat(generated.changePassword("admin", "a password of my own".toCharArray(), ROOT))
                .isEqualTo(new PasswordChange.Changed());
        assertThat(generated.passwordChangeRequired("admin")).isFalse();
    }

    @Test
    void bootstrap_preparesTheDecoyHash_soAnUnknownUsersFirstLoginHashesNothing() {
        access.bootstrap(Optional.empty(), Optional.empty());
        int hashes = hasher.hashes.get();

        assertThat(access.login("mallory", wrong(), ADDRESS)).isEqualTo(new Refused());

        assertThat(hasher.hashes.get()).isEqualTo(hashes);
    }

    @Test
    void bootstrap_whenUsersExist_createsNoAdmin() {
        assertThat(access.bootstrap(Optional.empty(), Optional.empty()))
                .isEqualTo(new Bootstrap.Done(false, Optional.empty(), false));
        assertThat(access.users()).extracting(User::username).containsExactly("alice");
    }

    @Test
    void bootstrap_withWeakPassword_isInvalidInputAndCreatesNothing() {
        AccessService fresh = freshService();

        assertThat(fresh.bootstrap(Optional.of("short"), Optional.of("a".repeat(40))))
                .isEqualTo(new InvalidInput("adminPassword", AccessService.PASSWORD_RULE));
        assertThat(fresh.users()).isEmpty();
        assertThat(fresh.tokens()).isEmpty();
    }

    @Test
    void bootstrap_withToken_createsAnAdminTokenWithExactlyThatSecret_once() {
        String secret = "automation-secret-0123456789abcdefXYZ";

        Bootstrap first = access.bootstrap(Optional.empty(), Optional.of(secret));
        Bootstrap second = access.bootstrap(Optional.empty(), Optional.of(secret));

        assertThat(first).isEqualTo(new Bootstrap.Done(false, Optional.empty(), true));
        assertThat(second).isEqualTo(new Bootstrap.Done(false, Optional.empty(), false));
        assertThat(access.tokens()).singleElement().satisfies(token -> {
            assertThat(token.name()).isEqualTo("bootstrap");
            assertThat(token.role()).isEqualTo(Role.ADMIN);
            assertThat(token.createdBy()).isEqualTo("bootstrap");
        });
        assertThat(access.authenticateToken(secret).orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(tokenStore.rows.getFirst().secretDigest()).isEqualTo(TokenSecrets.digest(secret));
    }

    @Test
    void bootstrap_withRevokedToken_doesNotRecreateIt() {
        String secret = "automation-secret-0123456789abcdefXYZ";
        access.bootstrap(Optional.empty(), Optional.of(secret));
        access.revokeToken(access.tokens().getFirst().id(), ROOT);

        assertThat(access.bootstrap(Optional.empty(), Optional.of(secret)))
                .isEqualTo(new Bootstrap.Done(false, Optional.empty(), false));
        assertThat(access.authenticateToken(secret)).isEmpty();
    }

    @Test
    void bootstrap_withTokenShorterThan32Characters_isInvalidInputAndCreatesNothing() {
        AccessService fresh = freshService();

        assertThat(fresh.bootstrap(Optional.of("first start password"), Optional.of("a".repeat(31))))
                .isEqualTo(new InvalidInput("bootstrapToken", TokenSecrets.RULE));
        assertThat(fresh.bootstrap(Optional.empty(), Optional.of("has spaces but is long enough to pass")))
                .isInstanceOf(InvalidInput.class);
        assertThat(fresh.users()).isEmpty();
        assertThat(fresh.tokens()).isEmpty();
    }

    private AccessService freshService() {
        audit.events.clear();
        return new AccessService(
                new InMemoryUserStore(), new InMemoryTokenStore(), new FakePasswordHasher(), clock, audit);
    }

    private void failLogins(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(access.login(username, wrong(), address)).isEqualTo(new Refused());
        }
    }

    private static char[] wrong() {
        return "not the password".toCharArray();
    }

    @Test
    void aTokenRevokedThroughAnotherNode_isTrustedFromTheCacheUntilForgotten_thenRefused() {
        CreatedToken created = (CreatedToken) access.createToken("supervisor", Role.SUPERVISOR, ROOT);
        assertThat(access.authenticateToken(created.secret())).isPresent();
        tokenStore.revoke(created.token().id(), T0);
        assertThat(access.authenticateToken(created.secret()))
                .as("still cached")
                .isPresent();

        access.forgetToken(created.token().id());

        assertThat(access.authenticateToken(created.secret())).isEmpty();
    }

    @Test
    void forgettingEveryKnownToken_makesEachBeLookedUpAgain() {
        CreatedToken created = (CreatedToken) access.createToken("supervisor", Role.SUPERVISOR, ROOT);
        access.authenticateToken(created.secret());
        tokenStore.revoke(created.token().id(), T0);

        access.forgetKnownTokens();

        assertThat(access.knownToken(created.secret())).isEmpty();
        assertThat(access.authenticateToken(created.secret())).isEmpty();
    }

    @Test
    void deletingAUser_orChangingAPassword_tellsTheUserAccessListeners() {
        java.util.List<String> ended = new java.util.ArrayList<>();
        access.whenUserAccessEnded(ended::add);
        createUser("bob");

        access.changePassword("ALICE", "a new long password".toCharArray(), ROOT);
        access.deleteUser("bob", ROOT);
        access.deleteUser("nobody", ROOT);

        assertThat(ended).containsExactly("alice", "bob");
    }
}
