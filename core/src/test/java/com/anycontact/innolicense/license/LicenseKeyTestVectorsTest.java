package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LicenseKeyTestVectorsTest {

    static final Path VECTORS = Path.of("..", "docs", "test-vectors");

    static List<String> vectorNames() {
        return List.copyOf(TestVectors.licenses().keySet());
    }

    @ParameterizedTest
    @MethodSource("vectorNames")
    void sign_ofVectorLicense_producesExactlyTheCheckedInKeyText(String name) throws IOException {
        License license = TestVectors.licenses().get(name);

        String keyText = new LicenseSigner(TestVectors.signingKey()).sign(license);

        assertThat(keyText).isEqualTo(read(name + ".lic"));
        assertThat(LicenseKeyFormat.payload(license)).isEqualTo(read(name + ".payload.txt"));
    }

    @ParameterizedTest
    @MethodSource("vectorNames")
    void verify_ofCheckedInKeyText_isGenuineWithTheVectorLicense(String name) throws IOException {
        LicenseVerifier verifier = new LicenseVerifier(TrustedKeys.of(List.of(publicKeyFromFile())));

        KeyVerification result = verifier.verify(read(name + ".lic"), TestVectors.INSTALLATION);

        assertThat(result)
                .isEqualTo(new KeyVerification.Genuine(TestVectors.licenses().get(name)));
    }

    @Test
    void publicKeyFile_holdsTheRfc8032TestKey() throws IOException {
        assertThat(publicKeyFromFile().key())
                .isEqualTo(TestVectors.signingKey().publicKey().key());
        assertThat(publicKeyFromFile().keyId()).isEqualTo(TestVectors.KEY_ID);
    }

    @Test
    void everyVectorFile_belongsToAVector() throws IOException {
        try (var files = Files.list(VECTORS)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            Map<String, License> licenses = TestVectors.licenses();
            assertThat(names)
                    .allSatisfy(file -> assertThat(file.equals("test-vector-key.pub.pem")
                                    || file.equals("README.md")
                                    // the audit log's hash-chain vector, which AuditChainTest checks
                                    || file.equals("audit-chain.txt")
                                    || licenses.keySet().stream().anyMatch(file::startsWith))
                            .as(file)
                            .isTrue());
        }
    }

    private static VendorPublicKey publicKeyFromFile() throws IOException {
        return VendorPublicKey.fromPem(read("test-vector-key.pub.pem"));
    }

    private static String read(String file) throws IOException {
        return Files.readString(VECTORS.resolve(file), StandardCharsets.UTF_8);
    }
}
