package com.anycontact.innolicense.access;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passwords hashed with Argon2id (RFC 9106) by password4j, stored as PHC strings such as {@code
 * $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}.
 *
 * <p>Parameters: by default OWASP's recommended minimum for Argon2id, 19 MiB of memory, 2
 * iterations, parallelism 1, with a 16-byte salt from {@link SecureRandom} per hash and a 32-byte
 * output. Every parameter is set here in code: password4j's {@code Password} facade and its
 * {@code psw4j.properties} file (defaults, salt length, a banner) are not used, so nothing on the
 * class path changes how passwords are hashed. Passwords are hashed as their UTF-8 bytes.
 *
 * <p>Verification reads the parameters from the stored hash, so hashes made with other parameters
 * still verify after the defaults change, and {@link #needsRehash} tells which ones to hash again.
 * Only Argon2id version 19 hashes within bounds (at most 256 MiB, 10 iterations, parallelism 8)
 * are read; any other text does not verify.
 *
 * <p>Memory: each hash in progress takes its memory parameter (19 MiB) of heap. At most as many
 * hashes as there are processors run at once; further logins wait for one to finish, so a burst of
 * logins costs time rather than heap.
 */
public final class Argon2PasswordHasher implements PasswordHasher {

    /** The default memory, in KiB: 19 MiB. */
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;

    /** The default number of iterations (passes over the memory). */
    public static final int DEFAULT_ITERATIONS = 2;

    /** The default degree of parallelism (lanes). */
    public static final int DEFAULT_PARALLELISM = 1;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 256 * 1024;
    private static final int MAX_ITERATIONS = 10;
    private static final int MAX_PARALLELISM = 8;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([0-9]{1,7}),t=([0-9]{1,3}),p=([0-9]{1,3})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Argon2Function function;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore running =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);

    /** A hasher with the default parameters (OWASP's minimum for Argon2id). */
    public Argon2PasswordHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    /**
     * A hasher with the given parameters.
     *
     * @param memoryKib memory in KiB, from {@code 8 × parallelism} to 262,144 (256 MiB)
     * @param iterations passes over the memory, 1 to 10
     * @param parallelism lanes, 1 to 8
     */
    public Argon2PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (!withinBounds(memoryKib, iterations, parallelism)) {
            throw new IllegalArgumentException("Argon2id parameters out of bounds: m=" + memoryKib + " KiB, t="
                    + iterations + ", p=" + parallelism);
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.function = function(memoryKib, iterations, parallelism, HASH_BYTES);
    }

    @Override
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] bytes = utf8(password);
        running.acquireUninterruptibly();
        try {
            return function.hash(bytes, salt).getResult();
        } finally {
            running.release();
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public boolean verify(char[] password, String hash) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(hash, "hash");
        Matcher phc = PHC.matcher(hash);
        if (!phc.matches()) {
            return false;
        }
        int memory = Integer.parseInt(phc.group(1));
        int passes = Integer.parseInt(phc.group(2));
        int lanes = Integer.parseInt(phc.group(3));
        int outputLength = decodedLength(phc.group(5));
        if (!withinBounds(memory, passes, lanes) || outputLength < 16) {
            return false;
        }
        Argon2Function stored =
                memory == memoryKib && passes == iterations && lanes == parallelism && outputLength == HASH_BYTES
                        ? function
                        : function(memory, passes, lanes, outputLength);
        byte[] bytes = utf8(password);
        running.acquireUninterruptibly();
        try {
            return stored.check(bytes, hash.getBytes(StandardCharsets.UTF_8));
        } finally {
            running.release();
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Whether the hash was not made with this hasher's parameters (or is not an Argon2id hash at all). */
    @Override
    public boolean needsRehash(String hash) {
        Matcher phc = PHC.matcher(hash);
        return !phc.matches()
                || Integer.parseInt(phc.group(1)) != memoryKib
                || Integer.parseInt(phc.group(2)) != iterations
                || Integer.parseInt(phc.group(3)) != parallelism
                || decodedLength(phc.group(5)) != HASH_BYTES;
    }

    private static Argon2Function function(int memoryKib, int iterations, int parallelism, int outputLength) {
        return Argon2Function.getInstance(
                memoryKib, iterations, parallelism, outputLength, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
    }

    private static boolean withinBounds(int memoryKib, int iterations, int parallelism) {
        return parallelism >= 1
                && parallelism <= MAX_PARALLELISM
                && iterations >= 1
                && iterations <= MAX_ITERATIONS
                && memoryKib >= 8 * parallelism
                && memoryKib <= MAX_MEMORY_KIB;
    }

    private static int decodedLength(String unpaddedBase64) {
        try {
            return BASE64.decode(unpaddedBase64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
