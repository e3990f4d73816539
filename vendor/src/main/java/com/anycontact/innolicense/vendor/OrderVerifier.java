package com.anycontact.innolicense.vendor;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.ProductCatalog;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Order verification: reads an order in JSON and checks every field, reporting all problems at once so
 * the order team can fix the order in one go. {@code docs/vendor-tool.md} documents the fields.
 */
public final class OrderVerifier {

    /** The fields an order may have, in the order they are checked and reported. */
    public static final List<String> FIELDS = List.of(
            "orderId",
            "customer",
            "installationId",
            "features",
            "seats",
            "startDate",
            "timeZone",
            "termMonths",
            "graceDays");

    private static final List<String> CUSTOMER_FIELDS = List.of("id", "name");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int MAX_TEXT_LENGTH = 200;
    private static final int MAX_SHOWN_VALUE = 60;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final List<OrderProblem> problems = new ArrayList<>();

    private OrderVerifier() {}

    /** Verifies an order given as JSON text; never throws on bad input. */
    public static OrderVerification verify(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return refused("order", "is not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        return verify(tree);
    }

    /** Verifies an order already parsed into a JSON tree; never throws on bad input. */
    public static OrderVerification verify(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            return refused("order", "is empty; an order is a JSON object such as " + example());
        }
        if (!tree.isObject()) {
            return refused("order", "must be a JSON object such as " + example() + ", was " + shown(tree));
        }
        return new OrderVerifier().check(tree);
    }

    private OrderVerification check(JsonNode order) {
        String orderId = text(order.get("orderId"), "orderId", "the vendor's order reference, e.g. \"SO-1001\"", false);
        Customer customer = customer(order.get("customer"));
        InstallationId installationId = installationId(order.get("installationId"));
        TreeSet<String> features = features(order.get("features"));
        Integer seats = whole(order, "seats", "the concurrent user count", 1, License.MAX_SEATS, null);
        LocalDate startDate = startDate(order.get("startDate"));
        ZoneId timeZone = timeZone(order.get("timeZone"));
        Integer termMonths =
                whole(order, "termMonths", "the term", 1, License.MAX_TERM_MONTHS, License.DEFAULT_TERM_MONTHS);
        Integer graceDays =
                whole(order, "graceDays", "the grace days", 0, License.MAX_GRACE_DAYS, License.DEFAULT_GRACE_DAYS);
        unknownFields(order, "", FIELDS);
        if (!problems.isEmpty()) {
            return new OrderVerification.Refused(problems);
        }
        return new OrderVerification.Verified(new Order(
                orderId, customer, installationId, features, seats, startDate, timeZone, termMonths, graceDays));
    }

    private String text(JsonNode node, String field, String what, boolean identifier) {
        if (node == null || node.isNull()) {
            problem(field, "is missing; give " + what);
            return null;
        }
        if (!node.isTextual()) {
            problem(field, "must be text, " + what + ", was " + shown(node));
            return null;
        }
        String value = node.textValue();
        if (value.isBlank()) {
            problem(field, "must not be empty; give " + what);
        } else if (identifier && !IDENTIFIER.matcher(value).matches()) {
            problem(
                    field,
                    "must be 1 to 64 letters, digits, '.', '_' or '-' starting with a letter or digit, was "
                            + shown(node));
        } else if (!value.equals(value.strip())) {
            problem(field, "must not start or end with spaces, was " + shown(node));
        } else if (value.length() > MAX_TEXT_LENGTH) {
            problem(field, "must be at most " + MAX_TEXT_LENGTH + " characters, was " + value.length());
        } else if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c))) {
            problem(field, "must not contain control characters such as line breaks or tabs");
        } else {
            return value;
        }
        return null;
    }

    private Customer customer(JsonNode node) {
        String what = "the customer as {\"id\": \"C-77\", \"name\": \"Acme\"}";
        if (node == null || node.isNull()) {
            problem("customer", "is missing; give " + what);
            return null;
        }
        if (!node.isObject()) {
            problem("customer", "must be an object, " + what + ", was " + shown(node));
            return null;
        }
        String id = text(node.get("id"), "customer.id", "the vendor's customer number, e.g. \"C-77\"", true);
        String name = text(node.get("name"), "customer.name", "the customer's name, e.g. \"Acme\"", false);
        unknownFields(node, "customer.", CUSTOMER_FIELDS);
        return id == null || name == null ? null : new Customer(id, name);
    }

    private InstallationId installationId(JsonNode node) {
        String expected = InstallationId.expectedForm();
        if (node == null || node.isNull()) {
            problem("installationId", "is missing; give the installation ID shown in AC Admin: " + expected);
            return null;
        }
        Optional<InstallationId> id = node.isTextual() ? InstallationId.parse(node.textValue()) : Optional.empty();
        if (id.isEmpty()) {
            problem("installationId", "must be " + expected + "; was " + shown(node));
            return null;
        }
        return id.get();
    }

    private TreeSet<String> features(JsonNode node) {
        String valid =
                "valid codes: " + String.join(", ", ProductCatalog.features()) + " (see docs/product-catalog.md)";
        if (node == null || node.isNull()) {
            problem("features", "is missing; list the ordered feature codes, e.g. [\"ACD\", \"IVR\"]; " + valid);
            return null;
        }
        if (!node.isArray()) {
            problem("features", "must be an array of feature codes such as [\"ACD\", \"IVR\"], was " + shown(node));
            return null;
        }
        if (node.isEmpty()) {
            problem("features", "must name at least one feature; " + valid);
            return null;
        }
        TreeSet<String> features = new TreeSet<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        boolean allValid = true;
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            String field = "features[" + i + "]";
            if (!element.isTextual()) {
                problem(field, "must be a feature code such as \"ACD\", was " + shown(element));
                allValid = false;
                continue;
            }
            String code = element.textValue();
            if (!ProductCatalog.contains(code)) {
                String upper = code.strip().toUpperCase(Locale.ROOT);
                problem(
                        field,
                        shown(element) + " is not in the product catalog; "
                                + (ProductCatalog.contains(upper) ? "write it as \"" + upper + "\"" : valid));
                allValid = false;
                continue;
            }
            Integer first = firstSeen.putIfAbsent(code, i);
            if (first != null) {
                problem(field, shown(element) + " is listed twice (also features[" + first + "]); list it once");
                allValid = false;
                continue;
            }
            features.add(code);
        }
        return allValid ? features : null;
    }

    private Integer whole(JsonNode parent, String field, String what, int min, int max, Integer defaultValue) {
        JsonNode node = parent.get(field);
        String range = "a whole number from " + min + " to " + max;
        if (node == null) {
            if (defaultValue == null) {
                problem(field, "is missing; give " + what + ", " + range);
            }
            return defaultValue;
        }
        if (node.isNumber() && node.canConvertToExactIntegral() && node.canConvertToInt()) {
            int value = node.asInt();
            if (value >= min && value <= max) {
                return value;
            }
        }
        String hint = "";
        if (node.isTextual() && node.textValue().strip().matches("-?\\d+")) {
            hint = "; write the number without quotes";
        } else if (node.isNull() && defaultValue != null) {
            hint = "; leave the field out for the default of " + defaultValue;
        }
        problem(field, "must be " + range + ", was " + shown(node) + hint);
        return null;
    }

    private LocalDate startDate(JsonNode node) {
        String form = "a date in the form yyyy-MM-dd, e.g. \"2026-12-01\"";
        if (node == null || node.isNull()) {
            problem("startDate", "is missing; give the licensed start date as " + form);
            return null;
        }
        if (!node.isTextual() || !DATE_SHAPE.matcher(node.textValue()).matches()) {
            problem("startDate", "must be " + form + ", was " + shown(node));
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(node.textValue(), DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException e) {
            problem("startDate", "is not a day of the calendar, was " + shown(node));
            return null;
        }
        if (date.getYear() < 2000 || date.getYear() > 9000) {
            problem("startDate", "must lie in the years 2000 to 9000, was " + shown(node));
            return null;
        }
        return date;
    }

    private ZoneId timeZone(JsonNode node) {
        String form = "a time zone region ID of the IANA tz database such as \"Europe/Berlin\" or \"America/New_York\"";
        if (node == null || node.isNull()) {
            problem("timeZone", "is missing; give the customer's time zone as " + form);
            return null;
        }
        Set<String> zones = ZoneId.getAvailableZoneIds();
        if (node.isTextual() && zones.contains(node.textValue())) {
            return ZoneId.of(node.textValue());
        }
        String suggestion = "";
        if (node.isTextual()) {
            String typed = node.textValue().strip();
            suggestion = zones.stream()
                    .filter(zone -> zone.equalsIgnoreCase(typed))
                    .findFirst()
                    .map(zone -> "; did you mean \"" + zone + "\"?")
                    .orElse("");
        }
        problem("timeZone", "must be " + form + ", was " + shown(node) + suggestion);
        return null;
    }

    private void unknownFields(JsonNode object, String prefix, List<String> known) {
        object.fieldNames().forEachRemaining(name -> {
            if (known.contains(name)) {
                return;
            }
            String advice = known.stream()
                    .filter(field -> field.equalsIgnoreCase(name))
                    .findFirst()
                    .map(field -> "did you mean " + prefix + field + "? Field names are case-sensitive")
                    .orElse("the fields are " + String.join(", ", known));
            problem(prefix + name, "is not a field of " + (prefix.isEmpty() ? "an order" : "customer") + "; " + advice);
        });
    }

    private void problem(String field, String message) {
        problems.add(new OrderProblem(field, message));
    }

    private static OrderVerification refused(String field, String message) {
        return new OrderVerification.Refused(List.of(new OrderProblem(field, message)));
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String shown(JsonNode node) {
        String text = node.toString();
        return text.length() <= MAX_SHOWN_VALUE ? text : text.substring(0, MAX_SHOWN_VALUE) + "…";
    }

    private static String example() {
        return "{\"orderId\": \"SO-1001\", \"customer\": {\"id\": \"C-77\", \"name\": \"Acme\"}, ...}";
    }
}
