package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in production keys: read from the index the build writes, each file named after its key ID. */
class BuiltInTrustTest {

    @TempDir
    Path root;

    @Test
    void thisBuild_hasTheVendorsProductionKey() {
        assertThat(BuiltInTrust.production()).extracting(VendorPublicKey::keyId).contains("anycontact-2026-1");
    }

    @Test
    void aKeyFileNamedForAnotherKeyId_failsLoudly() throws IOException {
        Path directory = Files.createDirectories(root.resolve("trust/production"));
        Files.writeString(directory.resolve("index"), "anycontact-2030-1.pem\n");
        Files.writeString(
                directory.resolve("anycontact-2030-1.pem"),
                VendorSigningKey.generate("someone-else").publicKey().toPem());

        assertThatThrownBy(() -> BuiltInTrust.load(loader(), BuiltInTrust.DIRECTORY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds key someone-else");
    }

    @Test
    void aBuildWithoutItsIndex_failsLoudly() {
        assertThatThrownBy(() -> BuiltInTrust.load(loader(), "nothing/here/"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("built without its production keys");
    }

    private ClassLoader loader() throws IOException {
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }
}
