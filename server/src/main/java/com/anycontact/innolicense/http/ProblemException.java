package com.anycontact.innolicense.http;

import io.javalin.http.HttpResponseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer of the API that is a problem (RFC 9457); thrown by a handler and written as
 * {@code application/problem+json} by {@link Problems}, the one place that maps errors to HTTP.
 */
public final class ProblemException extends HttpResponseException {

    private final ProblemType type;
    private final int httpStatus;
    private final String detail;
    private final Map<String, Object> members;
    private final Map<String, String> headers = new LinkedHashMap<>();

    ProblemException(ProblemType type, int status, String detail, Map<String, Object> members) {
        super(status, type.title());
        this.type = Objects.requireNonNull(type, "type");
        this.httpStatus = status;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** The kind of problem. */
    public ProblemType type() {
        return type;
    }

    /** The HTTP status sent. */
    public int httpStatus() {
        return httpStatus;
    }

    /** What went wrong in this occurrence, for people. */
    public String detail() {
        return detail;
    }

    /** The extension members, e.g. {@code field}, {@code reason}, {@code capacity}. */
    public Map<String, Object> members() {
        return members;
    }

    /** Headers to send with the problem, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /**
     * Takes no stack trace: a problem is an answer (a denial, a bad field), not a failure, and nothing prints
     * its stack; walking the stack cost microseconds per denial on the thread that answers it.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** Adds a response header and returns this problem. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
