package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.License;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** How licenses appear on the terminal and in JSON, the same in every command. */
final class LicenseView {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private LicenseView() {}

    /** A moment in a zone as people read it: {@code 2026-12-01 00:00 Europe/Berlin (UTC+01:00)}. */
    static String zoned(ZonedDateTime time) {
        return License.displayTime(time);
    }

    /** Every field of the license as signed. */
    static Table fields(License license) {
        return Table.fields()
                .row("license ID", license.licenseId())
                .row("serial", Long.toString(license.serial()))
                .row("signing key ID", license.keyId())
                .row(
                        "customer",
                        license.customer().name() + " (" + license.customer().id() + ")")
                .row("order", license.orderId())
                .row("installation", license.installationId().value())
                .row("features", String.join(", ", license.features()))
                .row("seats", license.seats() + " concurrent users")
                .row("start date", license.startDate().toString())
                .row("time zone", license.timeZone().getId())
                .row("term", license.termMonths() + (license.termMonths() == 1 ? " month" : " months"))
                .row("grace", license.graceDays() + (license.graceDays() == 1 ? " day" : " days"))
                .row("issued at", license.issuedAt().toString());
    }

    /** Adds the start, end and grace end that the license's dates and zone imply. */
    static Table schedule(Table table, License license) {
        return table.row("starts", zoned(license.startZoned()))
                .row("ends", zoned(license.endZoned()))
                .row("grace ends", zoned(license.graceEndZoned()));
    }

    /** The license as a JSON object, with start, end and grace end as date-times with offset. */
    static ObjectNode json(License license) {
        ObjectNode node = JSON.createObjectNode()
                .put("licenseId", license.licenseId())
                .put("serial", license.serial())
                .put("keyId", license.keyId());
        node.putObject("customer")
                .put("id", license.customer().id())
                .put("name", license.customer().name());
        node.put("orderId", license.orderId())
                .put("installationId", license.installationId().value());
        ArrayNode features = node.putArray("features");
        license.features().forEach(features::add);
        return node.put("seats", license.seats())
                .put("startDate", license.startDate().toString())
                .put("timeZone", license.timeZone().getId())
                .put("termMonths", license.termMonths())
                .put("graceDays", license.graceDays())
                .put("issuedAt", license.issuedAt().toString())
                .put("start", OFFSET.format(license.startZoned()))
                .put("end", OFFSET.format(license.endZoned()))
                .put("graceEnd", OFFSET.format(license.graceEndZoned()));
    }

    /** A new empty JSON object. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A new empty JSON array. */
    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** JSON as indented text. */
    static String text(Object json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
