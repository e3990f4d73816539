package com.anycontact.innolicense.license;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The vendor public keys a server trusts, by key ID; several at once during a key rotation. */
public final class TrustedKeys {

    private final Map<String, VendorPublicKey> byId;

    private TrustedKeys(Map<String, VendorPublicKey> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /**
     * The given keys.
     *
     * @throws IllegalArgumentException when two different keys share a key ID
     */
    public static TrustedKeys of(Collection<VendorPublicKey> keys) {
        Map<String, VendorPublicKey> byId = new LinkedHashMap<>();
        for (VendorPublicKey key : keys) {
            VendorPublicKey previous = byId.putIfAbsent(key.keyId(), key);
            if (previous != null && !previous.key().equals(key.key())) {
                throw new IllegalArgumentException("two different trusted keys share the key ID " + key.keyId());
            }
        }
        return new TrustedKeys(byId);
    }

    /** The key with this ID, if trusted. */
    public Optional<VendorPublicKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** The IDs of all trusted keys. */
    public Set<String> keyIds() {
        return byId.keySet();
    }
}
