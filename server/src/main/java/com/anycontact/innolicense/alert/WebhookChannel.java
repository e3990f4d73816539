package com.anycontact.innolicense.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers alerts by webhook: one {@code POST} of the {@link AlertPayload#json JSON body} to the subscription's
 * URL, signed per the Standard Webhooks specification ({@code webhook-id}, {@code webhook-timestamp}, {@code
 * webhook-signature}; {@link WebhookSignature}). An answer of 2xx within {@link #TIMEOUT} delivers it; any other
 * answer, a redirect included, or none fails it (and the dispatcher retries). The secret and the body are never
 * logged.
 */
public final class WebhookChannel implements AlertChannel {

    /** How long a receiver has to connect and answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AlertStore store;
    private final HttpClient client;

    /** A channel reading each subscription's signing secret from the store. */
    public WebhookChannel(AlertStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Outcome send(Delivery delivery, long timestamp) {
        Optional<String> secret = store.secret(delivery.subscription().id());
        if (secret.isEmpty()) {
            return Outcome.failed(Optional.empty(), "the subscription has no signing secret");
        }
        String body = AlertPayload.json(delivery.alert());
        URI url = URI.create(delivery.subscription().target());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "innoACD-Licensing-Alerts")
                .header("webhook-id", delivery.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(secret.get(), delivery.id(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300
                    ? Outcome.deliveredWith(status)
                    : Outcome.failed(Optional.of(status), "the receiver answered HTTP " + status);
        } catch (HttpTimeoutException e) {
            return Outcome.failed(
                    Optional.empty(), "no answer from " + url.getHost() + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return Outcome.failed(
                    Optional.empty(),
                    "could not reach " + url.getHost() + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(Optional.empty(), "the server is stopping");
        }
    }
}
