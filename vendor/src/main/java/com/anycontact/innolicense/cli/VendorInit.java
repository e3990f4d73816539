package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.VendorSigningKey;
import com.anycontact.innolicense.vendor.VendorDirectory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code innolicense-vendor init}: creates the vendor signing key pair and the registry. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Creates the vendor's Ed25519 signing key pair in DIR: the private key encrypted with a passphrase"
                    + " (file mode 0600), the public key to give to license servers, and the empty registry of"
                    + " issued licenses. Never overwrites an existing key.",
            "",
            "The passphrase comes from the environment variable INNOLICENSE_VENDOR_PASSPHRASE, or is asked"
                    + " twice on the terminal without echo. It needs at least 8 characters."
        })
final class VendorInit implements Callable<Integer> {

    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "The vendor directory; created when missing.")
    Path dir;

    @Option(
            names = "--key-id",
            paramLabel = "ID",
            description = "The key ID that license keys signed with this key name (letters, digits, '.', '_', '-')."
                    + " Default: vk- and the public key's fingerprint.")
    String keyId;

    VendorInit(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        VendorDirectory directory = new VendorDirectory(dir);
        for (Path file : new Path[] {directory.signingKeyFile(), directory.publicKeyFile()}) {
            if (Files.exists(file)) {
                throw refuseOverwrite(file);
            }
        }
        VendorSigningKey key;
        try {
            key = VendorSigningKey.generate(keyId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--key-id': " + e.getMessage());
        }
        char[] passphrase = Passphrases.forNewKey(io.env());
        try {
            directory.create(key, passphrase);
        } catch (FileAlreadyExistsException e) {
            throw refuseOverwrite(Path.of(e.getFile()));
        } catch (IOException e) {
            throw CommandFailure.error("cannot create the vendor key files in " + dir + ": " + CliFiles.reason(e));
        } finally {
            Passphrases.forget(passphrase);
        }
        io.out().println("Created the vendor signing key " + key.keyId() + ".");
        Table.fields()
                .row("signing key", directory.signingKeyFile() + "  (private, encrypted, mode 0600)")
                .row("public key", directory.publicKeyFile().toString())
                .row("registry", directory.registryFile().toString())
                .print(io.out());
        io.out()
                .println("A production key is built into the license server: add the public key file to the server"
                        + " build as server/src/main/resources/trust/production/" + key.keyId()
                        + ".pem (docs/trust.md). A key for development or evaluation is given to a server with"
                        + " innolicense server --development-trust " + directory.publicKeyFile());
        io.out().println("and to whoever checks keys with innolicense license verify --public-key.");
        io.out()
                .println("Keep the signing key and its passphrase apart and safe, and back up " + dir
                        + ": whoever holds both can issue licenses.");
        return ExitCode.OK;
    }

    private static CommandFailure refuseOverwrite(Path file) {
        return CommandFailure.refused(file + " already exists; vendor init never overwrites a vendor key, since"
                + " license servers trust it and renewals are signed with it. Use another --dir for a new key.");
    }
}
