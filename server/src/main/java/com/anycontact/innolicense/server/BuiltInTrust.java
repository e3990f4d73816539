package com.anycontact.innolicense.server;

import com.anycontact.innolicense.license.VendorPublicKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The vendor's production public keys, built into the server: the resources {@code trust/production/KEY-ID.pem},
 * listed in {@code trust/production/index}, which the build writes from {@code
 * server/src/main/resources/trust/production} and refuses to build without a key. The customer cannot change
 * them without rebuilding the server; keys of their own are trusted only on development trust ({@code
 * --development-trust}). Key rotation is a new file beside the old; {@code docs/trust.md} tells how keys are
 * added and retired.
 */
public final class BuiltInTrust {

    /** Where the production keys are, on the class path. */
    public static final String DIRECTORY = "trust/production/";

    private BuiltInTrust() {}

    /**
     * The production keys built into this server.
     *
     * @throws IllegalStateException when the build left no key, or a key file is broken or named for another
     *     key ID: a broken build, never a customer's setting
     */
    public static List<VendorPublicKey> production() {
        return load(BuiltInTrust.class.getClassLoader(), DIRECTORY);
    }

    /** The keys listed in {@code directory + "index"}, each read from its file in {@code directory}. */
    static List<VendorPublicKey> load(ClassLoader loader, String directory) {
        Objects.requireNonNull(loader, "loader");
        String index = read(loader, directory + "index")
                .orElseThrow(() -> new IllegalStateException("this server was built without its production keys: "
                        + directory + "index is missing from the jar; build it with ./mvnw package"));
        List<VendorPublicKey> keys = new ArrayList<>();
        for (String name : index.split("\\R")) {
            if (name.isBlank()) {
                continue;
            }
            String file = directory + name.strip();
            String pem = read(loader, file)
                    .orElseThrow(() -> new IllegalStateException("the built-in key " + file + " is missing"));
            VendorPublicKey key;
            try {
                key = VendorPublicKey.fromPem(pem);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the built-in key " + file + " is broken: " + e.getMessage());
            }
            if (!name.strip().equals(key.keyId() + ".pem")) {
                throw new IllegalStateException(
                        "the built-in key " + file + " holds key " + key.keyId() + "; name it " + key.keyId() + ".pem");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("this server was built without any production key in " + directory);
        }
        return List.copyOf(keys);
    }

    private static java.util.Optional<String> read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in key resource " + resource, e);
        }
    }
}
