package com.anycontact.innolicense.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A browser-like login over the API: the session cookie as the browser sends it back, and the session's CSRF
 * token for writes.
 *
 * @param cookie {@code name=value} of the session cookie
 * @param csrfToken the token writes must repeat in {@code X-CSRF-Token}
 */
record SignedIn(String cookie, String csrfToken) {

    /** Logs in as {@code user}; fails the test unless the login succeeds. */
    static SignedIn as(Api api, String user, String password) {
        Api.Reply login = api.postJson(
                "/api/v1/session", null, "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}");
        if (login.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + login.status() + " " + login.body());
        }
        String setCookie = login.header("Set-Cookie").orElseThrow();
        return new SignedIn(
                setCookie.substring(0, setCookie.indexOf(';')),
                login.json().path("csrfToken").asText());
    }

    /** The headers of a read. */
    Map<String, String> reading() {
        return Map.of("Cookie", cookie);
    }

    /** The headers of a write. */
    Map<String, String> writing() {
        Map<String, String> headers = new LinkedHashMap<>(reading());
        headers.put("X-CSRF-Token", csrfToken);
        return headers;
    }
}
