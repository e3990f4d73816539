package com.anycontact.innolicense.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.ProductCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProductCatalogDocTest {

    static final Path DOC = Path.of("..", "docs", "product-catalog.md");
    static final Pattern ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| (.+) \\|$", Pattern.MULTILINE);

    @Test
    void productCatalogDoc_listsExactlyTheCatalogsCodesAndDescriptions() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(DOC));
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }

        assertThat(documented).containsExactlyEntriesOf(ProductCatalog.descriptions());
    }
}
