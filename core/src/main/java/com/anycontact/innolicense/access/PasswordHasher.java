package com.anycontact.innolicense.access;

/**
 * Hashes passwords for storage, and checks a password against a stored hash. Implementations use
 * a slow, memory-hard function with a random salt per hash (Argon2id in the server), because
 * passwords chosen by people are guessable and a stolen hash must not be cheap to test guesses
 * against.
 *
 * <p>Implementations are safe for use by many threads at once. They do not keep the password;
 * the caller may clear the array after the call.
 */
public interface PasswordHasher {

    /**
     * Hashes a password with a fresh random salt.
     *
     * @return a self-describing hash string (algorithm, parameters, salt and hash)
     */
    String hash(char[] password);

    /**
     * Whether the password is the one the hash was made from.
     *
     * @return {@code false} also when the hash is not one this hasher can read
     */
    boolean verify(char[] password, String hash);

    /**
     * Whether the hash was made with weaker parameters than this hasher now uses, so that the
     * password should be hashed again when it is next known (at a successful login).
     */
    default boolean needsRehash(String hash) {
        return false;
    }
}
