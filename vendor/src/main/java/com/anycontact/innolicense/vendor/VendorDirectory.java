package com.anycontact.innolicense.vendor;

import com.anycontact.innolicense.license.VendorSigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * The order team's working directory: the encrypted signing key, the public key to hand out, and the
 * registry of issued licenses. Created by {@code vendor init}, used by every other vendor command.
 *
 * @param path the directory
 */
public record VendorDirectory(Path path) {

    /** The file name of the encrypted private signing key (mode 0600). */
    public static final String SIGNING_KEY_FILE = "vendor-signing-key.pem";

    /** The file name of the public key, for license servers and {@code license verify}. */
    public static final String PUBLIC_KEY_FILE = "vendor-public-key.pem";

    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    /** Requires the path. */
    public VendorDirectory {
        Objects.requireNonNull(path, "path");
    }

    /** The encrypted private signing key. */
    public Path signingKeyFile() {
        return path.resolve(SIGNING_KEY_FILE);
    }

    /** The public key. */
    public Path publicKeyFile() {
        return path.resolve(PUBLIC_KEY_FILE);
    }

    /** The registry of issued licenses. */
    public Path registryFile() {
        return path.resolve(LicenseRegistry.FILE_NAME);
    }

    /**
     * Creates the directory (owner-only when it is new), writes the signing key encrypted with the
     * passphrase in a file only its owner can read, the public key next to it, and an empty registry.
     * Never overwrites a key file.
     *
     * @throws FileAlreadyExistsException naming the key file that exists; nothing is changed then
     */
    public void create(VendorSigningKey key, char[] passphrase) throws IOException {
        for (Path existing : new Path[] {signingKeyFile(), publicKeyFile()}) {
            if (Files.exists(existing)) {
                throw new FileAlreadyExistsException(existing.toString());
            }
        }
        if (!Files.isDirectory(path)) {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(
                        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(path);
            }
        }
        AtomicFile.createPrivate(signingKeyFile(), key.toEncryptedPem(passphrase));
        try {
            AtomicFile.createPublic(publicKeyFile(), key.publicKey().toPem());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(signingKeyFile());
            throw e;
        }
        openRegistry().close();
    }

    /** Whether {@code vendor init} has created a signing key here. */
    public boolean hasSigningKey() {
        return Files.isRegularFile(signingKeyFile());
    }

    /**
     * Reads and decrypts the signing key.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the passphrase is wrong or the file damaged
     */
    public VendorSigningKey signingKey(char[] passphrase) throws IOException {
        Path file = signingKeyFile();
        if (Files.size(file) > MAX_KEY_FILE_BYTES) {
            throw new IllegalArgumentException("the file is too large to be a signing key");
        }
        return VendorSigningKey.fromEncryptedPem(Files.readString(file, StandardCharsets.UTF_8), passphrase);
    }

    /** Opens the registry, creating it when it does not exist yet. */
    public LicenseRegistry openRegistry() {
        return LicenseRegistry.open(registryFile());
    }
}
