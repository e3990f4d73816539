package com.anycontact.innolicense.license;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vendor public keys a server trusts, by key ID; several at once during a key rotation. Each key is either
 * a production key (built into the server) or a development key (given by the operator for development or
 * evaluation); any development key puts the server in {@link TrustMode#DEVELOPMENT}.
 */
public final class TrustedKeys {

    private final Map<String, VendorPublicKey> byId;
    private final Set<String> developmentIds;

    private TrustedKeys(Map<String, VendorPublicKey> byId, Set<String> developmentIds) {
        this.byId = Collections.unmodifiableMap(byId);
        this.developmentIds = Collections.unmodifiableSet(developmentIds);
    }

    /**
     * The given keys, all production keys.
     *
     * @throws IllegalArgumentException when two different keys share a key ID
     */
    public static TrustedKeys of(Collection<VendorPublicKey> keys) {
        return of(keys, List.of());
    }

    /**
     * The production keys and the development keys.
     *
     * <p>A development key that is a production key itself is trusted as the production key.
     *
     * @throws IllegalArgumentException when two different keys share a key ID, or a development key has the
     *     key ID of another production key
     */
    public static TrustedKeys of(Collection<VendorPublicKey> production, Collection<VendorPublicKey> development) {
        Map<String, VendorPublicKey> byId = new LinkedHashMap<>();
        for (VendorPublicKey key : production) {
            add(byId, key);
        }
        Set<String> developmentIds = new LinkedHashSet<>();
        for (VendorPublicKey key : development) {
            VendorPublicKey builtIn = developmentIds.contains(key.keyId()) ? null : byId.get(key.keyId());
            if (builtIn != null && builtIn.key().equals(key.key())) {
                continue; // the production key itself, given again: already trusted as such
            }
            if (builtIn != null) {
                throw new IllegalArgumentException("the development key " + key.keyId()
                        + " has the key ID of a built-in production key; give development keys their own key ID");
            }
            add(byId, key);
            developmentIds.add(key.keyId());
        }
        return new TrustedKeys(byId, developmentIds);
    }

    private static void add(Map<String, VendorPublicKey> byId, VendorPublicKey key) {
        VendorPublicKey previous = byId.putIfAbsent(key.keyId(), key);
        if (previous != null && !previous.key().equals(key.key())) {
            throw new IllegalArgumentException("two different trusted keys share the key ID " + key.keyId());
        }
    }

    /** The key with this ID, if trusted. */
    public Optional<VendorPublicKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** The IDs of all trusted keys, production keys first. */
    public Set<String> keyIds() {
        return byId.keySet();
    }

    /** All trusted keys, production keys first. */
    public List<VendorPublicKey> keys() {
        return List.copyOf(byId.values());
    }

    /** Whether the key with this ID was given for development rather than built in. */
    public boolean isDevelopment(String keyId) {
        return developmentIds.contains(keyId);
    }

    /** {@link TrustMode#DEVELOPMENT} when any development key is trusted, else {@link TrustMode#PRODUCTION}. */
    public TrustMode mode() {
        return developmentIds.isEmpty() ? TrustMode.PRODUCTION : TrustMode.DEVELOPMENT;
    }
}
