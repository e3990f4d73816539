package com.anycontact.innolicense.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The JSON body of a webhook and the text of an e-mail, from one alert. The body follows the Standard Webhooks
 * shape: {@code type}, {@code timestamp} and {@code data}; {@code docs/alerts.md} has an example.
 */
public final class AlertPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertPayload() {}

    /** The webhook body: {@code {"type", "timestamp", "data": {"alertId", "eventKey", "rule", "title", "summary", "facts"}}}. */
    public static String json(Alert alert) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", alert.rule().eventType());
        body.put("timestamp", alert.firedAt().toString());
        ObjectNode data = body.putObject("data");
        data.put("alertId", alert.id());
        data.put("eventKey", alert.eventKey());
        data.put("rule", alert.rule().name());
        data.put("title", alert.rule().title());
        data.put("summary", alert.summary());
        ObjectNode facts = data.putObject("facts");
        alert.facts().forEach(facts::put);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert could not be written as JSON", e);
        }
    }

    /** The e-mail subject: {@code [innoACD Licensing] <title> (<installation ID>)}. */
    public static String subject(Alert alert) {
        String installation = alert.facts().getOrDefault("installationId", "");
        return "[innoACD Licensing] " + alert.rule().title()
                + (installation.isEmpty() ? "" : " (" + installation + ")");
    }

    /** The e-mail text: the summary, then one line per fact, then where it came from. */
    public static String text(Alert alert) {
        StringBuilder text = new StringBuilder(alert.summary()).append("\n\n");
        for (Map.Entry<String, String> fact : alert.facts().entrySet()) {
            text.append(fact.getKey()).append(": ").append(fact.getValue()).append('\n');
        }
        text.append("\nalert ")
                .append(alert.id())
                .append(", ")
                .append(alert.rule().eventType())
                .append(", fired at ")
                .append(alert.firedAt())
                .append("\n-- \ninnoACD Licensing alerts; switch rules and subscriptions in AC Admin, Alerts.\n");
        return text.toString();
    }
}
