package com.anycontact.innolicense.access;

import com.anycontact.innolicense.time.SteadyClock;
import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Access control: users with passwords, API tokens, the first-start bootstrap, and the throttling
 * of failed logins. It decides who someone is; which role may use which endpoint is declared by the
 * HTTP layer ({@code docs/access-control.md}). Sessions, once a user has logged in, are kept by
 * {@link Sessions}.
 *
 * <p>Outcomes are values: a refused login, a taken username or a rule broken by the input are
 * results ({@link LoginResult}, {@link UserCreation}, {@link InvalidInput}, ...), never exceptions.
 * Exceptions mean a bug (a {@code null} argument) or broken infrastructure (the store failed).
 *
 * <p>Throttling ({@link LoginThrottle}): failed logins are delayed per username and address (an IPv6 address
 * counted by its /64), per address, and by a global failure budget (in memory on a monotonic {@link Ticker}, or
 * in the cluster database on the trusted wall clock, shared by every node); an
 * address where a user logged in before is never kept out by another address's failures. At most {@link
 * #MAX_CONCURRENT_VERIFICATIONS} passwords are checked at once; an attempt beyond that is answered {@link
 * LoginResult.Busy} at once, without hashing. An administrator can lift lockouts with {@link #unlock}.
 *
 * <p>Thread safe. Changes to users are made one at a time, so that the last administrator cannot
 * be deleted by two requests at once.
 */
public final class AccessService {

    /** The fewest characters a password may have. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    /** The most characters a password may have. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    /** What a password must look like, for error messages. */
    public static final String PASSWORD_RULE = "a password needs at least " + MIN_PASSWORD_LENGTH
            + " characters (and at most " + MAX_PASSWORD_LENGTH + ")";

    /** The username of the administrator created at first start. */
    public static final String BOOTSTRAP_ADMIN = "admin";

    /** The name of the API token created from {@code INNOLICENSE_BOOTSTRAP_TOKEN}. */
    public static final String BOOTSTRAP_TOKEN_NAME = "bootstrap";

    /** The actor named in the audit log for what bootstrap creates. */
    public static final String BOOTSTRAP_ACTOR = "bootstrap";

    /**
     * How long a token found valid is trusted without asking the store again. A token revoked through this
     * service stops working at once; one revoked through another server node of a cluster as soon as that node's
     * message arrives ({@link #forgetToken}), and within this time if it is lost.
     */
    public static final Duration TOKEN_RECHECK = Duration.ofSeconds(5);

    /**
     * How many passwords are checked at once at most (Argon2id takes 19 MiB and tens of milliseconds each); a
     * login beyond that is answered {@link LoginResult.Busy} without hashing.
     */
    public static final int MAX_CONCURRENT_VERIFICATIONS =
            Math.max(2, Runtime.getRuntime().availableProcessors());

    /** The longest ACD node name a token may be bound to, as a claim's {@code node}. */
    public static final int MAX_NODE_LENGTH = 128;

    private static final int KNOWN_TOKENS = 10_000;
    private static final int THROTTLE_ENTRIES = 10_000;

    private final UserStore users;
    private final TokenStore tokens;
    private final PasswordHasher hasher;
    private final InstantSource clock;
    private final AuditSink audit;
    private final LoginThrottle throttle;
    private final int maxVerifications;
    private final Semaphore verifications;
    private final Map<String, KnownToken> knownTokens = new ConcurrentHashMap<>();
    private final Map<String, String> boundNodes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> claims = new ConcurrentHashMap<>();
    private final ReentrantLock userChanges = new ReentrantLock();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> userAccessListeners = new CopyOnWriteArrayList<>();
    private volatile String decoyHash;

    /**
     * Creates the service.
     *
     * @param users where users are kept
     * @param tokens where API tokens are kept
     * @param hasher hashes and checks passwords
     * @param clock the time of logins, lockouts, creations and revocations
     * @param audit told of logins, failed logins and every change
     */
    public AccessService(
            UserStore users, TokenStore tokens, PasswordHasher hasher, InstantSource clock, AuditSink audit) {
        this(users, tokens, hasher, clock, audit, Ticker.system());
    }

    /**
     * Creates the service with the login throttle in memory.
     *
     * @param users where users are kept
     * @param tokens where API tokens are kept
     * @param hasher hashes and checks passwords
     * @param clock the time of logins, creations and revocations, as recorded
     * @param audit told of logins, failed logins and every change
     * @param throttleTicker the monotonic time that login lockouts are measured with
     */
    public AccessService(
            UserStore users,
            TokenStore tokens,
            PasswordHasher hasher,
            InstantSource clock,
            AuditSink audit,
            Ticker throttleTicker) {
        this(
                users,
                tokens,
                hasher,
                clock,
                audit,
                inMemoryThrottle(clock, throttleTicker),
                MAX_CONCURRENT_VERIFICATIONS);
    }

    /**
     * Creates the service with a login throttle of the caller's: the cluster's, kept in the cluster database.
     *
     * @param users where users are kept
     * @param tokens where API tokens are kept
     * @param hasher hashes and checks passwords
     * @param clock the time of logins, creations and revocations, as recorded
     * @param audit told of logins, failed logins and every change
     * @param throttle the login throttle
     */
    public AccessService(
            UserStore users,
            TokenStore tokens,
            PasswordHasher hasher,
            InstantSource clock,
            AuditSink audit,
            LoginThrottle throttle) {
        this(users, tokens, hasher, clock, audit, throttle, MAX_CONCURRENT_VERIFICATIONS);
    }

    /** As the public constructor, with another bound on concurrent password checks, for tests. */
    AccessService(
            UserStore users,
            TokenStore tokens,
            PasswordHasher hasher,
            InstantSource clock,
            AuditSink audit,
            Ticker throttleTicker,
            int maxVerifications) {
        this(users, tokens, hasher, clock, audit, inMemoryThrottle(clock, throttleTicker), maxVerifications);
    }

    private AccessService(
            UserStore users,
            TokenStore tokens,
            PasswordHasher hasher,
            InstantSource clock,
            AuditSink audit,
            LoginThrottle throttle,
            int maxVerifications) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.maxVerifications = maxVerifications;
        this.verifications = new Semaphore(maxVerifications);
        this.users = Objects.requireNonNull(users, "users");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * A login throttle in memory, measured on a clock that only the monotonic ticker moves, so that a step of the
     * system clock neither lifts a lockout nor refills the budget.
     */
    private static LoginThrottle inMemoryThrottle(InstantSource clock, Ticker ticker) {
        return new LoginThrottle(
                new InMemoryLoginThrottleStore(THROTTLE_ENTRIES),
                SteadyClock.anchoredAt(
                        Objects.requireNonNull(clock, "clock").instant(),
                        Objects.requireNonNull(ticker, "throttleTicker")));
    }

    /**
     * Checks a username and password, unless the username or the address is locked out.
     *
     * <p>An unknown username is refused after the same work as a wrong password (a password hash
     * is checked either way), so neither the result nor its timing tells whether a user exists.
     * Logins and failed logins are audited with the remote address; the password never is.
     *
     * @param username the username as typed; matched ignoring ASCII case
     * @param password the password as typed; the caller may clear it afterwards
     * @param remoteAddress the client's address, throttled on its own
     */
    public LoginResult login(String username, char[] password, String remoteAddress) {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (!verifications.tryAcquire()) {
            return new LoginResult.Busy();
        }
        try {
            return loginChecked(username, password, remoteAddress);
        } finally {
            verifications.release();
        }
    }

    private LoginResult loginChecked(String username, char[] password, String remoteAddress) {
        Instant now = clock.instant();
        LoginThrottle.Admitted attempt;
        switch (throttle.attempt(username, ClientAddresses.group(remoteAddress))) {
            case LoginThrottle.Result.Wait wait -> {
                return new LoginResult.Throttled(wait.retryAfter());
            }
            case LoginThrottle.Result.Go go -> attempt = go.attempt();
        }
        Optional<StoredUser> found =
                User.isValidUsername(username) && password != null ? users.find(username) : Optional.empty();
        boolean verified;
        if (found.isPresent() && password.length <= MAX_PASSWORD_LENGTH) {
            verified = hasher.verify(password, found.get().passwordHash());
        } else {
            hasher.verify(password == null ? new char[0] : password, decoyHash());
            verified = false;
        }
        if (!verified) {
            audit.record(now, auditableUsername(username), AuditSink.LOGIN_FAILED, "from " + remoteAddress);
            return new LoginResult.Refused();
        }
        throttle.succeeded(attempt);
        User user = found.get().user();
        if (hasher.needsRehash(found.get().passwordHash())) {
            users.setPasswordHash(user.username(), hasher.hash(password));
        }
        audit.record(now, user.username(), AuditSink.LOGIN, "from " + remoteAddress);
        return new LoginResult.LoggedIn(Principal.of(user));
    }

    /**
     * Lifts the login throttle's lockouts of a username (from every address) or of an address (an IPv6 address
     * by its /64, with every username tried from it), and audits it.
     *
     * @param subject a username or an IP address
     * @param actor who lifts them
     * @return how many counters were cleared; 0 when nothing was counted for the subject
     */
    public int unlock(String subject, Principal actor) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(actor, "actor");
        boolean isAddress = ClientAddresses.parse(subject).isPresent();
        String group = isAddress ? ClientAddresses.group(subject) : null;
        int cleared = isAddress ? throttle.unlock(null, group) : throttle.unlock(subject, null);
        audit.record(
                clock.instant(),
                actor.auditName(),
                AuditSink.LOGIN_UNLOCKED,
                (isAddress ? "address " + group : "user " + auditableUsername(subject)) + ": " + cleared
                        + " throttle counters cleared");
        return cleared;
    }

    /** Forgets the login throttle's counters and known-good pairs that are no longer heeded; see {@link LoginThrottle#forgetOld}. */
    public int forgetOldLoginFailures() {
        return throttle.forgetOld();
    }

    /** How many of the login throttle's counters are locked right now, for metrics. */
    public int lockedLoginCounters() {
        return throttle.lockedCount();
    }

    /** How many passwords are being checked right now, for metrics. */
    public int passwordChecksInProgress() {
        return maxVerifications - verifications.availablePermits();
    }

    /**
     * The principal of a presented API token secret.
     *
     * @return empty when the secret is malformed ({@link TokenSecrets#isWellFormed}), unknown, or
     *     its token has been revoked
     */
    public Optional<Principal> authenticateToken(String secret) {
        if (!TokenSecrets.isWellFormed(secret)) {
            return Optional.empty();
        }
        String digest = TokenSecrets.digest(secret);
        Instant now = clock.instant();
        KnownToken known = knownTokens.get(digest);
        if (known != null && known.validAt(now)) {
            return Optional.of(known.principal());
        }
        Optional<ApiToken> token =
                tokens.findBySecretDigest(digest).filter(found -> !found.isRevoked() && !found.isExpiredAt(now));
        Optional<Principal> principal = token.map(Principal::of);
        if (token.isPresent()) {
            if (knownTokens.size() >= KNOWN_TOKENS) {
                knownTokens.clear();
            }
            knownTokens.put(
                    digest, new KnownToken(principal.get(), now, token.get().expiresAt()));
            token.get().node().ifPresent(node -> boundNodes.put(token.get().id(), node));
        } else {
            knownTokens.remove(digest);
        }
        return principal;
    }

    /**
     * The principal of a presented API token secret, when the token was found valid in the store within the
     * last {@link #TOKEN_RECHECK}; never reads the store, so it may be asked on a thread that must not block.
     *
     * @return empty when the token is not known to be valid right now: ask {@link #authenticateToken}
     */
    public Optional<Principal> knownToken(String secret) {
        if (!TokenSecrets.isWellFormed(secret)) {
            return Optional.empty();
        }
        KnownToken known = knownTokens.get(TokenSecrets.digest(secret));
        if (known != null && known.validAt(clock.instant())) {
            return Optional.of(known.principal());
        }
        return Optional.empty();
    }

    /**
     * A token found valid in the store, and when: it is looked up again after {@link #TOKEN_RECHECK}, and not
     * trusted at all from its expiry on.
     */
    private record KnownToken(Principal principal, Instant checkedAt, Optional<Instant> expiresAt) {
        boolean validAt(Instant now) {
            return now.isBefore(checkedAt.plus(TOKEN_RECHECK))
                    && expiresAt.map(now::isBefore).orElse(true);
        }
    }

    /**
     * Creates an API token with a new random secret ({@link TokenSecrets#generate()}).
     *
     * @param name what the token is for ({@link ApiToken#NAME_RULE})
     * @param role what the token may do: any role
     * @param actor who creates it
     * @return the token and its secret, to be shown once; or what is wrong with the input
     */
    public TokenCreation createToken(String name, Role role, Principal actor) {
        return createToken(name, role, Optional.empty(), Optional.empty(), actor);
    }

    /**
     * Creates an API token with a new random secret ({@link TokenSecrets#generate()}), optionally expiring and,
     * for an {@link Role#ACD} token, bound to an ACD node.
     *
     * @param name what the token is for ({@link ApiToken#NAME_RULE})
     * @param role what the token may do: any role
     * @param expiresAt when it stops authenticating; in the future
     * @param node the ACD node whose claims the token makes (its claims carry it; others are refused); ACD only
     * @param actor who creates it
     * @return the token and its secret, to be shown once; or what is wrong with the input
     */
    public TokenCreation createToken(
            String name, Role role, Optional<Instant> expiresAt, Optional<String> node, Principal actor) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(node, "node");
        if (!ApiToken.isValidName(name)) {
            return new InvalidInput("name", ApiToken.NAME_RULE);
        }
        if (role == null) {
            return new InvalidInput("role", "a token needs a role: ADMIN, SUPERVISOR or ACD");
        }
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(clock.instant())) {
            return new InvalidInput("expiresAt", "a token's expiry must be in the future");
        }
        if (node.isPresent() && role != Role.ACD) {
            return new InvalidInput("node", "only an ACD token is bound to a node; leave 'node' out for " + role);
        }
        if (node.isPresent() && (node.get().isBlank() || node.get().length() > MAX_NODE_LENGTH)) {
            return new InvalidInput("node", "a node name is 1 to " + MAX_NODE_LENGTH + " characters");
        }
        return issueToken(name, role, TokenSecrets.generate(), actor.auditName(), expiresAt, node);
    }

    /**
     * The ACD node a token principal is bound to, if any: known once the token has authenticated (every request
     * that reaches a claim has).
     */
    public Optional<String> boundNode(Principal principal) {
        return principal.kind() == Principal.Kind.TOKEN
                ? Optional.ofNullable(boundNodes.get(principal.id()))
                : Optional.empty();
    }

    /** Counts a seat claimed (a new lease) through this principal, for the token list. */
    public void countClaim(Principal principal) {
        if (principal.kind() == Principal.Kind.TOKEN) {
            claims.computeIfAbsent(principal.id(), id -> new LongAdder()).increment();
        }
    }

    /** How many seats were claimed through the token since this server started. */
    public long claimsSinceStart(String tokenId) {
        LongAdder count = claims.get(tokenId);
        return count == null ? 0 : count.sum();
    }

    /**
     * When the token with this secret expired, if it exists, is not revoked and has expired: for telling the
     * caller why it was refused.
     */
    public Optional<Instant> expiredAt(String secret) {
        if (!TokenSecrets.isWellFormed(secret)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return tokens.findBySecretDigest(TokenSecrets.digest(secret))
                .filter(token -> !token.isRevoked() && token.isExpiredAt(now))
                .flatMap(ApiToken::expiresAt);
    }

    /**
     * Revokes an API token: it authenticates nothing from now on, and stays listed as revoked.
     *
     * @return {@code false} when there is no such token or it was revoked already
     */
    public boolean revokeToken(String id, Principal actor) {
        Objects.requireNonNull(actor, "actor");
        if (id == null) {
            return false;
        }
        Instant now = clock.instant();
        boolean revoked = tokens.revoke(id, now);
        knownTokens.values().removeIf(known -> known.principal().id().equals(id));
        if (revoked) {
            audit.record(now, actor.auditName(), AuditSink.TOKEN_REVOKED, "token " + id);
            revocationListeners.forEach(listener -> listener.accept(id));
        }
        return revoked;
    }

    /**
     * Adds a listener told the ID of every API token revoked through this service, on the revoking thread, so
     * that what lives as long as the token's use (a live-event stream) ends with it at once; it must be quick
     * and must not throw. A token revoked through another server node of a cluster is not told (see {@link
     * #forgetToken}).
     */
    public void whenTokenRevoked(Consumer<String> listener) {
        revocationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Forgets a token that another server node of a cluster revoked: it is looked up in the store at its next
     * use, which refuses it. Does not tell the listeners added with {@link #whenTokenRevoked}.
     */
    public void forgetToken(String tokenId) {
        Objects.requireNonNull(tokenId, "tokenId");
        knownTokens.values().removeIf(known -> known.principal().id().equals(tokenId));
    }

    /**
     * Forgets every token found valid, so that each is looked up in the store again at its next use: after a
     * cluster node may have missed revocations made through other nodes.
     */
    public void forgetKnownTokens() {
        knownTokens.clear();
    }

    /**
     * Adds a listener told the username of every user deleted or whose password was changed through this
     * service, on the changing thread, after the change is stored; it must be quick and must not throw.
     */
    public void whenUserAccessEnded(Consumer<String> listener) {
        userAccessListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** All API tokens, revoked ones included, oldest first. */
    public List<ApiToken> tokens() {
        return tokens.list();
    }

    /**
     * Creates a user.
     *
     * @param username the username ({@link User#USERNAME_RULE})
     * @param role {@link Role#ADMIN} or {@link Role#SUPERVISOR}
     * @param password the password ({@link #PASSWORD_RULE}); the caller may clear it afterwards
     * @param actor who creates the user
     */
    public UserCreation createUser(String username, Role role, char[] password, Principal actor) {
        Objects.requireNonNull(actor, "actor");
        if (!User.isValidUsername(username)) {
            return new InvalidInput("username", User.USERNAME_RULE);
        }
        if (role == null || !role.isUserRole()) {
            return new InvalidInput("role", "a user's role is ADMIN or SUPERVISOR");
        }
        Optional<InvalidInput> weak = checkPassword("password", password);
        if (weak.isPresent()) {
            return weak.get();
        }
        if (users.find(username).isPresent()) {
            return new UserCreation.UsernameTaken(username);
        }
        String hash = hasher.hash(password);
        userChanges.lock();
        try {
            Instant now = clock.instant();
            User user = new User(username, role, now);
            if (!users.create(new StoredUser(user, hash))) {
                return new UserCreation.UsernameTaken(username);
            }
            audit.record(now, actor.auditName(), AuditSink.USER_CREATED, "user " + username + " with role " + role);
            return new UserCreation.Created(user);
        } finally {
            userChanges.unlock();
        }
    }

    /**
     * Deletes a user, unless it is the last {@link Role#ADMIN}. The user's API tokens are not
     * affected (tokens belong to the installation); end the user's sessions with {@link
     * Sessions#invalidateAll}.
     */
    public UserDeletion deleteUser(String username, Principal actor) {
        Objects.requireNonNull(actor, "actor");
        if (!User.isValidUsername(username)) {
            return UserDeletion.NOT_FOUND;
        }
        userChanges.lock();
        try {
            Optional<StoredUser> found = users.find(username);
            if (found.isEmpty()) {
                return UserDeletion.NOT_FOUND;
            }
            User user = found.get().user();
            if (user.role() == Role.ADMIN
                    && users.list().stream().filter(u -> u.role() == Role.ADMIN).count() <= 1) {
                return UserDeletion.LAST_ADMIN;
            }
            if (!users.delete(user.username())) {
                return UserDeletion.NOT_FOUND;
            }
            audit.record(clock.instant(), actor.auditName(), AuditSink.USER_DELETED, "user " + user.username());
            userAccessListeners.forEach(listener -> listener.accept(user.username()));
            return UserDeletion.DELETED;
        } finally {
            userChanges.unlock();
        }
    }

    /**
     * Sets a user's password. Sessions opened with the old password stay open; end them with
     * {@link Sessions#invalidateAll}.
     *
     * @param newPassword the new password ({@link #PASSWORD_RULE}); the caller may clear it afterwards
     */
    public PasswordChange changePassword(String username, char[] newPassword, Principal actor) {
        Objects.requireNonNull(actor, "actor");
        Optional<InvalidInput> weak = checkPassword("password", newPassword);
        if (weak.isPresent()) {
            return weak.get();
        }
        if (!User.isValidUsername(username)) {
            return new PasswordChange.UnknownUser();
        }
        String hash = hasher.hash(newPassword);
        userChanges.lock();
        try {
            Optional<StoredUser> found = users.find(username);
            if (found.isEmpty() || !users.changePassword(found.get().user().username(), hash)) {
                return new PasswordChange.UnknownUser();
            }
            audit.record(
                    clock.instant(),
                    actor.auditName(),
                    AuditSink.PASSWORD_CHANGED,
                    "user " + found.get().user().username());
            userAccessListeners.forEach(
                    listener -> listener.accept(found.get().user().username()));
            return new PasswordChange.Changed();
        } finally {
            userChanges.unlock();
        }
    }

    /** All users, ordered by username. */
    public List<User> users() {
        return users.list();
    }

    /**
     * Prepares access at start: run it at every start, before serving requests.
     *
     * <ul>
     *   <li>When there are no users (the first start), creates the user {@value #BOOTSTRAP_ADMIN}
     *       with the role {@link Role#ADMIN} and the given password, or a generated one that is
     *       returned to be printed once. On later starts the password is ignored.
     *   <li>When a bootstrap token is given and no token with that secret exists, revoked or not,
     *       creates an {@link Role#ADMIN} API token named {@value #BOOTSTRAP_TOKEN_NAME} with exactly
     *       that secret, for automation. A revoked bootstrap token therefore stays revoked even if
     *       the value is still configured.
     * </ul>
     *
     * <p>It also prepares the decoy hash checked for unknown usernames, so that even the first such
     * login takes no longer than a wrong password.
     *
     * <p>Inputs are checked before anything is created: the password against {@link
     * #PASSWORD_RULE} (when it is used), the token against {@link TokenSecrets#RULE} (at least
     * {@value TokenSecrets#MIN_LENGTH} characters).
     *
     * @param adminPassword the first-start password of {@value #BOOTSTRAP_ADMIN}
     *     ({@code INNOLICENSE_ADMIN_PASSWORD})
     * @param bootstrapToken the secret of the bootstrap token ({@code INNOLICENSE_BOOTSTRAP_TOKEN})
     */
    public Bootstrap bootstrap(Optional<String> adminPassword, Optional<String> bootstrapToken) {
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(bootstrapToken, "bootstrapToken");
        if (bootstrapToken.isPresent() && !TokenSecrets.isWellFormed(bootstrapToken.get())) {
            return new InvalidInput("bootstrapToken", TokenSecrets.RULE);
        }
        userChanges.lock();
        try {
            boolean adminCreated = false;
            Optional<String> generated = Optional.empty();
            if (users.count() == 0) {
                char[] password;
                if (adminPassword.isPresent()) {
                    password = adminPassword.get().toCharArray();
                    Optional<InvalidInput> weak = checkPassword("adminPassword", password);
                    if (weak.isPresent()) {
                        return weak.get();
                    }
                } else {
                    generated = Optional.of(TokenSecrets.randomBase64Url(18));
                    password = generated.get().toCharArray();
                }
                Instant now = clock.instant();
                User admin = new User(BOOTSTRAP_ADMIN, Role.ADMIN, now);
                adminCreated = users.create(new StoredUser(admin, hasher.hash(password), generated.isPresent()));
                if (adminCreated) {
                    audit.record(
                            now,
                            BOOTSTRAP_ACTOR,
                            AuditSink.USER_CREATED,
                            "user " + BOOTSTRAP_ADMIN + " with role " + Role.ADMIN);
                } else {
                    generated = Optional.empty();
                }
            }
            boolean tokenCreated = false;
            if (bootstrapToken.isPresent()
                    && tokens.findBySecretDigest(TokenSecrets.digest(bootstrapToken.get()))
                            .isEmpty()) {
                issueToken(BOOTSTRAP_TOKEN_NAME, Role.ADMIN, bootstrapToken.get(), BOOTSTRAP_ACTOR);
                tokenCreated = true;
            }
            decoyHash();
            return new Bootstrap.Done(adminCreated, generated, tokenCreated);
        } finally {
            userChanges.unlock();
        }
    }

    /**
     * Whether the user must set a new password before anything else: the server generated the present one
     * at first start and nobody has changed it since. {@code false} for an unknown user.
     */
    public boolean passwordChangeRequired(String username) {
        return User.isValidUsername(username)
                && users.find(username).map(StoredUser::passwordChangeRequired).orElse(false);
    }

    private CreatedToken issueToken(String name, Role role, String secret, String createdBy) {
        return issueToken(name, role, secret, createdBy, Optional.empty(), Optional.empty());
    }

    private CreatedToken issueToken(
            String name,
            Role role,
            String secret,
            String createdBy,
            Optional<Instant> expiresAt,
            Optional<String> node) {
        Instant now = clock.instant();
        ApiToken token =
                new ApiToken(TokenSecrets.randomHex(8), name, role, now, createdBy, Optional.empty(), expiresAt, node);
        tokens.create(token, TokenSecrets.digest(secret));
        audit.record(
                now,
                createdBy,
                AuditSink.TOKEN_CREATED,
                "token " + token.id() + " named " + name + " with role " + role
                        + expiresAt.map(at -> ", expires " + at).orElse("")
                        + node.map(n -> ", bound to node " + n).orElse(""));
        return new CreatedToken(token, secret);
    }

    private static Optional<InvalidInput> checkPassword(String field, char[] password) {
        if (password == null
                || password.length > MAX_PASSWORD_LENGTH
                || Character.codePointCount(password, 0, password.length) < MIN_PASSWORD_LENGTH) {
            return Optional.of(new InvalidInput(field, PASSWORD_RULE));
        }
        return Optional.empty();
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            hash = hasher.hash(TokenSecrets.randomBase64Url(18).toCharArray());
            decoyHash = hash;
        }
        return hash;
    }

    private static String auditableUsername(String username) {
        return User.isValidUsername(username) ? username : "(not a username)";
    }
}
