package com.anycontact.innolicense.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly and writes answers: unknown fields, wrong types, trailing data and bodies over
 * the limit are refused as problems that name the field, before any state changes.
 */
final class Json {

    /** The largest JSON request body accepted. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper mapper;

    Json() {
        JsonMapper built = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        refuse(
                built,
                LogicalType.Textual,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(
                built,
                LogicalType.Integer,
                CoercionInputShape.String,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(built, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer);
        refuse(built, LogicalType.Enum, CoercionInputShape.Integer);
        this.mapper = built;
    }

    private static void refuse(JsonMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Writes {@code value} as the JSON answer with the given status. */
    void write(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json").result(bytes(value));
    }

    /** The value as JSON, as {@link #write} sends it. */
    byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * A refused body up to this size is read to its end before the refusal is answered. Answering while the
     * client still sends, and closing, resets the connection, and a client that is still writing then often
     * loses the answer along with it (seen as "header parser received no bytes" by {@code java.net.http}).
     * Read to its end, the body costs at most this much and the connection stays open for the next request.
     * A larger body is refused at once and its connection closed; Tomcat's {@code maxSwallowSize} is the same
     * rule (2 MiB there).
     */
    static final long DRAIN_LIMIT = 1024 * 1024;

    /**
     * Reads the body, refusing it when it is longer than {@code limit} bytes.
     *
     * @throws ProblemException {@link ProblemType#REQUEST_TOO_LARGE}
     */
    static byte[] body(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > limit) {
                if (declared <= DRAIN_LIMIT) {
                    drain(in, declared);
                }
                throw tooLarge(limit);
            }
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                drain(in, DRAIN_LIMIT - bytes.length);
                throw tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    /** Reads and drops up to {@code budget} bytes of a refused body, or to its end; a broken read ends it. */
    private static void drain(InputStream in, long budget) {
        byte[] sink = new byte[8192];
        try {
            for (long left = budget; left > 0; ) {
                int read = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (read < 0) {
                    return;
                }
                left -= read;
            }
        } catch (IOException e) {
            // the client went away: the refusal is answered all the same, if anyone is left to read it
        }
    }

    private static ProblemException tooLarge(int limit) {
        return ProblemType.REQUEST_TOO_LARGE.problem(
                "the request body is larger than " + limit / 1024 + " KiB", Map.of("limit", limit));
    }

    /**
     * Reads a required JSON object of the given record type.
     *
     * @throws ProblemException {@link ProblemType#INVALID_BODY} naming the field, or {@link
     *     ProblemType#REQUEST_TOO_LARGE}
     */
    <T> T read(Context ctx, Class<T> type) {
        return readOptional(ctx, type)
                .orElseThrow(() -> ProblemType.INVALID_BODY.problem("a JSON object is required as the request body"));
    }

    /**
     * Reads an optional JSON object: an empty body gives empty. A body of another media type than JSON is
     * refused, whatever it holds: it is what an HTML form of another site can send without the browser asking
     * first (a "simple" cross-origin request), and the one check here covers every JSON route.
     *
     * @throws ProblemException {@link ProblemType#UNSUPPORTED_MEDIA_TYPE} besides those of {@link #read}
     */
    <T> Optional<T> readOptional(Context ctx, Class<T> type) {
        byte[] body = body(ctx, MAX_BODY_BYTES);
        if (!isBlank(body) && !isJson(ctx.header("Content-Type"))) {
            throw notJson(ctx.header("Content-Type"));
        }
        return readOptional(body, type);
    }

    /** Whether a {@code Content-Type} names JSON: {@code application/json} or {@code application/*+json}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters))
                .strip()
                .toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static ProblemException notJson(String contentType) {
        return ProblemType.UNSUPPORTED_MEDIA_TYPE.problem(
                (contentType == null ? "the request body has no Content-Type" : "the request body is " + contentType)
                        + "; this route reads JSON: send 'Content-Type: application/json'");
    }

    /** Reads an optional JSON object from a body already read: empty or blank gives empty. */
    <T> Optional<T> readOptional(byte[] bytes, Class<T> type) {
        if (isBlank(bytes)) {
            return Optional.empty();
        }
        T value;
        try {
            value = mapper.readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null
                    ? ""
                    : "; known fields: "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", "));
            throw invalid(path(e), "unknown field '" + path(e) + "'" + known);
        } catch (InvalidFormatException e) {
            Class<?> target = e.getTargetType();
            String expected = target != null && target.isEnum()
                    ? "one of "
                            + Arrays.stream(target.getEnumConstants())
                                    .map(String::valueOf)
                                    .collect(Collectors.joining(", "))
                    : expectedOf(target);
            throw invalid(path(e), "field '" + path(e) + "' must be " + expected);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw invalid("", "the request body must be a JSON object");
            }
            throw invalid(path(e), "field '" + path(e) + "' must be " + expectedOf(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw invalid(path(e), "field '" + path(e) + "' is invalid: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw invalid("", "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (value == null) {
            throw invalid("", "the request body must be a JSON object");
        }
        return Optional.of(value);
    }

    /** A problem naming the field; {@code field} is empty for the body as a whole. */
    static ProblemException invalid(String field, String detail) {
        Map<String, Object> members = new LinkedHashMap<>();
        if (!field.isEmpty()) {
            members.put("field", field);
        }
        return ProblemType.INVALID_BODY.problem(detail, members);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expectedOf(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "a whole number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target.isEnum()) {
            return "one of "
                    + Arrays.stream(target.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        return "a JSON object";
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
