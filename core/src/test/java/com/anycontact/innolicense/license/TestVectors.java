package com.anycontact.innolicense.license;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fixed test key and licenses behind the test vectors in {@code docs/test-vectors}. The key is
 * the one of RFC 8032 section 7.1, TEST 1, so anyone can check it against the RFC.
 *
 * <p>Run {@code main} to write the vector files anew after a deliberate format change: {@code
 * ./mvnw -q -pl core test-compile && java -cp core/target/classes:core/target/test-classes
 * com.anycontact.innolicense.license.TestVectors docs/test-vectors}.
 */
final class TestVectors {

    static final String KEY_ID = "test-vector-key";
    static final String SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String PUBLIC_HEX = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final InstallationId INSTALLATION = new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B");

    private TestVectors() {}

    static VendorSigningKey signingKey() {
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey privateKey = factory.generatePrivate(new EdECPrivateKeySpec(
                    NamedParameterSpec.ED25519, HexFormat.of().parseHex(SEED_HEX)));
            return VendorSigningKey.of(
                    KEY_ID, privateKey, publicKey(HexFormat.of().parseHex(PUBLIC_HEX)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes an RFC 8032 public key: little-endian y with the sign of x in the top bit. */
    static PublicKey publicKey(byte[] encoded) throws GeneralSecurityException {
        byte[] bigEndian = new byte[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            bigEndian[i] = encoded[encoded.length - 1 - i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7F;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    /** The licenses of the vectors, by vector name. */
    static Map<String, License> licenses() {
        Map<String, License> licenses = new LinkedHashMap<>();
        licenses.put(
                "basic",
                new License(
                        "L-0000-0001",
                        1,
                        KEY_ID,
                        new Customer("C-77", "Acme"),
                        "SO-1001",
                        INSTALLATION,
                        features(Set.of("ACD", "IVR")),
                        50,
                        LocalDate.parse("2026-12-01"),
                        ZoneId.of("Europe/Berlin"),
                        12,
                        14,
                        Instant.parse("2026-11-20T10:15:30Z")));
        licenses.put(
                "unicode-customer-long-term",
                new License(
                        "L-0000-0002",
                        7,
                        KEY_ID,
                        new Customer("C-4711", "Müller & Söhne Kundenservice GmbH — Zentrale Köln"),
                        "SO-2042/B",
                        INSTALLATION,
                        features(Set.of("ACD", "CHAT", "EMAIL", "OUTBOUND", "RECORDING", "REPORTING", "WFM")),
                        100_000,
                        LocalDate.parse("2028-01-31"),
                        ZoneId.of("America/New_York"),
                        24,
                        0,
                        Instant.parse("2027-12-24T23:59:59Z")));
        return licenses;
    }

    static License basic() {
        return licenses().get("basic");
    }

    private static TreeSet<String> features(Set<String> features) {
        return new TreeSet<>(features);
    }

    /** Writes the vector files into the given folder. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/test-vectors");
        LicenseSigner signer = new LicenseSigner(signingKey());
        try {
            Files.createDirectories(dir);
            write(
                    dir.resolve("test-vector-key.pub.pem"),
                    signingKey().publicKey().toPem());
            for (Map.Entry<String, License> vector : licenses().entrySet()) {
                write(dir.resolve(vector.getKey() + ".payload.txt"), LicenseKeyFormat.payload(vector.getValue()));
                write(dir.resolve(vector.getKey() + ".lic"), signer.sign(vector.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }
}
