package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.server.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Talks to a license server's API for the {@code admin} commands, and turns what can go wrong on the way
 * (no server, no or a refused token, an error answer) into one line for the user.
 */
final class AdminClient {

    /** The variable naming the server when {@code --server} is not given. */
    static final String SERVER_VARIABLE = "INNOLICENSE_SERVER";
    /** The variable holding the API token when {@code --token} is not given. */
    static final String TOKEN_VARIABLE = "INNOLICENSE_TOKEN";
    /** The server asked when neither {@code --server} nor {@value #SERVER_VARIABLE} says otherwise. */
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An answer of the server.
     *
     * @param status the HTTP status
     * @param json the body as JSON, or a missing node when it is not JSON
     */
    record Answer(int status, JsonNode json) {

        /** A text member of the body, or empty. */
        Optional<String> text(String member) {
            JsonNode node = json.path(member);
            return node.isValueNode() ? Optional.of(node.asText()) : Optional.empty();
        }

        /** The problem's detail, or its title, or the status. */
        String detail() {
            return text("detail").or(() -> text("title")).orElse("HTTP " + status);
        }
    }

    private final URI server;
    private final Optional<String> token;
    private final HttpClient http;

    private AdminClient(URI server, Optional<String> token) {
        this.server = server;
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client for the server and token given, or those of the environment. */
    static AdminClient of(String serverOption, String tokenOption, CliEnvironment env) {
        String serverText = Optional.ofNullable(serverOption)
                .or(() -> env.variable(SERVER_VARIABLE))
                .orElse(DEFAULT_SERVER)
                .strip();
        URI uri;
        try {
            uri = new URI(serverText.endsWith("/") ? serverText.substring(0, serverText.length() - 1) : serverText);
        } catch (URISyntaxException e) {
            throw new CommandFailure(
                    ExitCode.USAGE, "'" + serverText + "' is not a server URL; use e.g. " + DEFAULT_SERVER);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CommandFailure(
                    ExitCode.USAGE, "'" + serverText + "' is not a server URL; use e.g. " + DEFAULT_SERVER);
        }
        Optional<String> token = Optional.ofNullable(tokenOption)
                .or(() -> env.variable(TOKEN_VARIABLE))
                .map(String::strip)
                .filter(t -> !t.isEmpty());
        return new AdminClient(uri, token);
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, String contentType, String body) {
        return send(request(path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    Answer put(String path, String contentType, String body) {
        return send(request(path)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    /**
     * Waits until the server answers {@code GET /health/ready} with 200, asking every {@value #POLL_MILLIS} ms:
     * a server that is not listening yet, or still starting (503), is asked again until {@code limit} has passed
     * on {@code clock}.
     *
     * @throws CommandFailure with {@link ExitCode#ERROR} when the server is not ready in time, saying why
     */
    void awaitReady(Duration limit, java.time.Clock clock) {
        java.time.Instant deadline = clock.instant().plus(limit);
        String last;
        while (true) {
            try {
                Answer answer = send(HttpRequest.newBuilder(URI.create(server + "/health/ready"))
                        .timeout(Duration.ofSeconds(5))
                        .GET());
                if (answer.status() == 200) {
                    return;
                }
                last = "not ready (HTTP " + answer.status() + " "
                        + answer.json().path("checks") + ")";
            } catch (CommandFailure e) {
                last = e.getMessage();
            }
            if (!clock.instant().isBefore(deadline)) {
                throw CommandFailure.error("the license server at " + server + " was not ready within "
                        + Durations.format(limit) + "; last: " + last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CommandFailure.error("interrupted while waiting for the license server");
            }
        }
    }

    /** A path segment or query value, percent-encoded. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    private Answer send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw CommandFailure.error("cannot connect to the license server at " + server + ": timed out");
        } catch (HttpTimeoutException e) {
            throw CommandFailure.error(
                    "the license server at " + server + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw CommandFailure.error("cannot connect to the license server at " + server
                    + ": connection refused; is it running? Give its URL with --server or " + SERVER_VARIABLE);
        } catch (IOException e) {
            throw CommandFailure.error("cannot talk to the license server at " + server + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.error("interrupted while waiting for the license server");
        }
        Answer answer = new Answer(response.statusCode(), parse(response.body()));
        if (answer.status() == 401) {
            throw CommandFailure.error(
                    token.isEmpty()
                            ? "the license server needs an API token: give one with --token or " + TOKEN_VARIABLE
                            : "the license server refused the API token (" + answer.detail() + ")");
        }
        if (answer.status() == 403) {
            throw CommandFailure.error("the API token may not do this: " + answer.detail() + "; use an admin token");
        }
        return answer;
    }

    /** Ends the command for an answer it did not expect. */
    static CommandFailure unexpected(Answer answer) {
        if (answer.status() >= 400 && answer.status() < 500) {
            return CommandFailure.refused("the license server refused: " + answer.detail());
        }
        return CommandFailure.error("the license server answered HTTP " + answer.status() + ": " + answer.detail());
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
