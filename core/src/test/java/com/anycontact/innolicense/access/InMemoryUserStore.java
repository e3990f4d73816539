package com.anycontact.innolicense.access;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A user store in a map, keyed by the lower-cased username. */
final class InMemoryUserStore implements UserStore {

    final Map<String, StoredUser> users = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredUser> find(String username) {
        return Optional.ofNullable(users.get(key(username)));
    }

    @Override
    public boolean create(StoredUser user) {
        return users.putIfAbsent(key(user.user().username()), user) == null;
    }

    @Override
    public List<User> list() {
        return users.values().stream()
                .map(StoredUser::user)
                .sorted(Comparator.comparing(user -> key(user.username())))
                .toList();
    }

    @Override
    public boolean delete(String username) {
        return users.remove(key(username)) != null;
    }

    @Override
    public boolean setPasswordHash(String username, String hash) {
        return users.computeIfPresent(
                        key(username),
                        (key, stored) -> new StoredUser(stored.user(), hash, stored.passwordChangeRequired()))
                != null;
    }

    @Override
    public boolean changePassword(String username, String hash) {
        return users.computeIfPresent(key(username), (key, stored) -> new StoredUser(stored.user(), hash)) != null;
    }

    @Override
    public int count() {
        return users.size();
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
