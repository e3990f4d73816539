package com.anycontact.innolicense.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 document of the whole API. Its one source is
 * {@code docs/openapi.yaml}, which the build copies into the jar beside this class.
 */
final class OpenApiRoutes {

    /** The resource name of the document, beside this class. */
    static final String RESOURCE = "openapi.yaml";

    /** The media type of YAML (RFC 9512). */
    static final String MEDIA_TYPE = "application/yaml";

    private final byte[] document;

    OpenApiRoutes() {
        this.document = load();
    }

    /** The document's bytes, as served. */
    static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + OpenApiRoutes.class.getName()
                        + "; the build copies it from" + " docs/");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    void document(Context ctx) {
        ctx.status(200).contentType(MEDIA_TYPE).result(document);
    }
}
