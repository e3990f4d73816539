package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The customer distribution as built: {@code innolicense.jar} holds the vendor's production public keys and no
 * part of the vendor tool (no signing, order or registry code, no vendor command).
 */
class CustomerJarIT {

    private static final Path JAR = Path.of("target", "innolicense.jar");

    @Test
    void theCustomerJar_holdsNoVendorClasses_andTheBuiltInProductionKeys() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();

            assertThat(names)
                    .contains("com/anycontact/innolicense/cli/Innolicense.class")
                    .contains("trust/production/index", "trust/production/anycontact-2026-1.pem")
                    .noneMatch(name -> name.startsWith("com/anycontact/innolicense/vendor/"))
                    .noneMatch(name -> name.startsWith("com/anycontact/innolicense/cli/Vendor"))
                    .noneMatch(name -> name.startsWith("com/anycontact/innolicense/cli/InnolicenseVendor"))
                    .noneMatch(name -> name.startsWith("com/anycontact/innolicense/cli/Passphrases"))
                    .noneMatch(name -> name.endsWith(".pem") && !name.startsWith("trust/production/"));
        }
    }
}
