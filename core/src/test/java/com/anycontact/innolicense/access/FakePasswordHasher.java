package com.anycontact.innolicense.access;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast stand-in for Argon2id: {@code fake$v$salt$password}, with a counter of hashes and checks
 * so that tests can see the work done. {@code v} is the version; hashes of an older version than
 * {@link #version} need rehashing.
 */
final class FakePasswordHasher implements PasswordHasher {

    final AtomicInteger hashes = new AtomicInteger();
    final AtomicInteger verifications = new AtomicInteger();
    volatile int version = 1;

    @Override
    public String hash(char[] password) {
        hashes.incrementAndGet();
        return "fake$" + version + "$" + hashes.get() + "$" + new String(password);
    }

    @Override
    public boolean verify(char[] password, String hash) {
        verifications.incrementAndGet();
        String[] parts = hash.split("\\$", 4);
        return parts.length == 4 && parts[0].equals("fake") && parts[3].equals(new String(password));
    }

    @Override
    public boolean needsRehash(String hash) {
        return !hash.startsWith("fake$" + version + "$");
    }
}
