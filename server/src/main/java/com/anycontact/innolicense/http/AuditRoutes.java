package com.anycontact.innolicense.http;

import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The audit log for administrators, newest first, filtered and paged by query parameters. Parameters are read
 * strictly, as JSON bodies are: an unknown, repeated or malformed one is refused naming it.
 */
final class AuditRoutes {

    /** The page size when {@code limit} is not given. */
    static final int DEFAULT_LIMIT = 100;

    /** The earliest and latest instants a query may name: years 0000 to 9999, as epoch milliseconds can hold. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static final Set<String> PARAMETERS = Set.of("type", "actor", "from", "to", "before", "limit");
    private static final int MAX_ACTOR_LENGTH = 256;

    /** One event. */
    record EventView(long id, String at, String actor, String type, String detail) {}

    /** A page of events; {@code nextBefore} is the {@code before} of the next page, {@code null} on the last. */
    record PageView(List<EventView> events, Long nextBefore) {}

    private final AuditLog audit;
    private final Json json;

    AuditRoutes(AuditLog audit, Json json) {
        this.audit = audit;
        this.json = json;
    }

    /** What checking the hash chain found; {@code firstBreak} is {@code null} when the chain is intact. */
    record ChainView(
            boolean intact,
            long entries,
            long anchorId,
            String anchorHash,
            long lastId,
            String lastHash,
            BreakView firstBreak) {}

    /** The first entry that does not fit. */
    record BreakView(long id, String problem) {}

    /** {@code GET /audit/verify}: checks the whole hash chain. */
    void verify(Context ctx) {
        AuditChainReport report = audit.verifyChain();
        json.write(
                ctx,
                200,
                new ChainView(
                        report.intact(),
                        report.entries(),
                        report.anchorId(),
                        report.anchorHash(),
                        report.lastId(),
                        report.lastHash(),
                        report.firstBreak()
                                .map(found -> new BreakView(found.id(), found.problem()))
                                .orElse(null)));
    }

    void find(Context ctx) {
        AuditQuery query = query(ctx.queryParamMap());
        List<AuditEvent> events = audit.find(query);
        Long nextBefore = null;
        if (events.size() == query.limit()) {
            long last = events.getLast().id();
            if (!audit.find(query.withBeforeId(last).withLimit(1)).isEmpty()) {
                nextBefore = last;
            }
        }
        json.write(ctx, 200, new PageView(events.stream().map(AuditRoutes::view).toList(), nextBefore));
    }

    /**
     * The query that the parameters ask for.
     *
     * @throws ProblemException {@link ProblemType#INVALID_PARAMETER} naming the parameter at fault
     */
    static AuditQuery query(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw invalid(
                        parameter.getKey(),
                        "unknown parameter '" + parameter.getKey() + "'; known: "
                                + PARAMETERS.stream().sorted().collect(Collectors.joining(", ")));
            }
            if (parameter.getValue().size() > 1) {
                throw invalid(parameter.getKey(), "parameter '" + parameter.getKey() + "' is given more than once");
            }
        }
        int limit = single(parameters, "limit", AuditRoutes::limit).orElse(DEFAULT_LIMIT);
        AuditQuery query = AuditQuery.newest(limit);
        Optional<AuditEvent.Type> type = single(parameters, "type", AuditRoutes::type);
        if (type.isPresent()) {
            query = query.withType(type.get());
        }
        Optional<String> actor = single(parameters, "actor", AuditRoutes::actor);
        if (actor.isPresent()) {
            query = query.withActor(actor.get());
        }
        Optional<Instant> from = single(parameters, "from", text -> instant("from", text));
        if (from.isPresent()) {
            query = query.withFrom(from.get());
        }
        Optional<Instant> to = single(parameters, "to", text -> instant("to", text));
        if (to.isPresent()) {
            if (from.isPresent() && !to.get().isAfter(from.get())) {
                throw invalid("to", "parameter 'to' must be after 'from'");
            }
            query = query.withTo(to.get());
        }
        Optional<Long> before = single(parameters, "before", AuditRoutes::before);
        if (before.isPresent()) {
            query = query.withBeforeId(before.get());
        }
        return query;
    }

    private static <T> Optional<T> single(
            Map<String, List<String>> parameters, String name, Function<String, T> parse) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(parse.apply(values.getFirst()));
    }

    private static int limit(String text) {
        return wholeNumber(text)
                .filter(n -> n >= AuditQuery.MIN_LIMIT && n <= AuditQuery.MAX_LIMIT)
                .map(Math::toIntExact)
                .orElseThrow(() -> invalid(
                        "limit",
                        "parameter 'limit' must be a whole number from " + AuditQuery.MIN_LIMIT + " to "
                                + AuditQuery.MAX_LIMIT + ", was '" + text + "'"));
    }

    private static AuditEvent.Type type(String text) {
        try {
            return AuditEvent.Type.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw invalid(
                    "type",
                    "parameter 'type' must be one of "
                            + Arrays.stream(AuditEvent.Type.values())
                                    .map(Enum::name)
                                    .collect(Collectors.joining(", "))
                            + ", was '" + text + "'");
        }
    }

    private static String actor(String text) {
        if (text.isBlank() || text.length() > MAX_ACTOR_LENGTH) {
            throw invalid("actor", "parameter 'actor' must be 1 to " + MAX_ACTOR_LENGTH + " characters, not blank");
        }
        return text;
    }

    private static Instant instant(String name, String text) {
        try {
            Instant instant = Instant.parse(text);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw invalid(
                        name,
                        "parameter '" + name + "' must be an instant from year 0000 to 9999, such as"
                                + " 2027-01-15T09:00:00Z, was '" + text + "'");
            }
            return instant;
        } catch (DateTimeException e) {
            throw invalid(
                    name,
                    "parameter '" + name + "' must be an ISO-8601 instant such as 2027-01-15T09:00:00Z, was '" + text
                            + "'");
        }
    }

    private static long before(String text) {
        return wholeNumber(text)
                .filter(id -> id > 0)
                .orElseThrow(() -> invalid(
                        "before",
                        "parameter 'before' must be an event ID (a positive whole number), was '" + text + "'"));
    }

    private static Optional<Long> wholeNumber(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ProblemException invalid(String parameter, String detail) {
        return ProblemType.INVALID_PARAMETER.problem(detail, Map.of("parameter", parameter));
    }

    private static EventView view(AuditEvent event) {
        return new EventView(
                event.id(), event.at().toString(), event.actor(), event.type().name(), event.detail());
    }
}
