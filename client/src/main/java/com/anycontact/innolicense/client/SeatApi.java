package com.anycontact.innolicense.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The requests of the seat API ({@code /api/v1/seats/{agentId}}), with the token and timeouts set. */
final class SeatApi {

    private static final String USER_AGENT = "innolicense-client";
    private static final String LEFT_AS_IS = "-._~@:";

    private final URI seats;
    private final String authorization;
    private final HttpClient.Version version;

    SeatApi(URI server, String token) {
        String base = server.toString();
        this.seats = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/seats/");
        this.authorization = "Bearer " + token;
        // https prefers HTTP/2 (negotiated by TLS); plain http stays on HTTP/1.1 with kept-alive connections
        this.version = server.getScheme().toLowerCase(Locale.ROOT).equals("https")
                ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1;
    }

    /** The URI of an agent's seat. */
    URI seat(String agentId) {
        return URI.create(seats + encode(agentId));
    }

    /** A claim or renewal: {@code PUT} with the node and station, when there are any. */
    HttpRequest claim(String agentId, String node, String station, Duration timeout) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("node", node);
        members.put("station", station);
        HttpRequest.Builder request = request(agentId, timeout);
        if (node == null && station == null) {
            return request.PUT(HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.writeObject(members), StandardCharsets.UTF_8))
                .build();
    }

    /** A release: {@code DELETE}. */
    HttpRequest release(String agentId, Duration timeout) {
        return request(agentId, timeout).DELETE().build();
    }

    private HttpRequest.Builder request(String agentId, Duration timeout) {
        return HttpRequest.newBuilder(seat(agentId))
                .version(version)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", USER_AGENT);
    }

    /**
     * Percent-encodes everything but letters, digits and {@code - . _ ~ @ :} (which RFC 3986 allows in a path
     * segment as they are), so that any agent ID is exactly one path segment; {@code .} and {@code ..} are
     * encoded whole so that nothing takes them for a relative path.
     */
    static String encode(String segment) {
        if (segment.equals(".") || segment.equals("..")) {
            return segment.replace(".", "%2E");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || LEFT_AS_IS.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
