package com.anycontact.innolicense.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SameOriginPath} against a corpus of known open-redirect bypasses (the two seen on {@code /login?next=}
 * first), and the login page's script carrying the same rule.
 */
class SameOriginPathTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/\\example.org", // seen: next=/%5Cexample.org
                "/\t/example.org", // seen: next=/%09/example.org
                "//example.org",
                "///example.org",
                "/\\/example.org",
                "\\\\example.org",
                "\\/example.org",
                "/\n/example.org",
                "/\r/example.org",
                "/\r\n/example.org",
                "/ /example.org",
                " //example.org",
                "/\u0000/example.org",
                "/\u00a0/example.org",
                "/\u3000/example.org",
                "/\uff0fexample.org",
                "/\u2215example.org",
                "https://example.org",
                "http:example.org",
                "HTTPS://example.org/",
                "javascript:alert(1)",
                "JaVaScRiPt:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "example.org",
                "@example.org",
                ".example.org",
                "",
                "/login",
                "/login?next=//example.org",
                "/dashboard\"><script>",
                "/dashboard<script>",
                "/dashboard`",
                "/dashboard{x}",
                "/dashboard^",
                "/dashboard|x",
                "/a\u202e/b"
            })
    void aBypass_isNotSafe(String next) {
        assertThat(SameOriginPath.isSafe(next)).as("'%s'", next).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/dashboard",
                "/admin#users",
                "/admin#license",
                "/dashboard?page=2&size=50",
                "/a/b/c",
                "/%2F%2Fexample.org",
                "/%5Cexample.org",
                "/path;jsessionid=1",
                "/a:b@c",
                "/~user/(x)*!$',+="
            })
    void aPathOfThisServer_isSafe(String next) {
        assertThat(SameOriginPath.isSafe(next)).as("'%s'", next).isTrue();
    }

    @Test
    void aNull_orAnOverlongNext_isNotSafe() {
        assertThat(SameOriginPath.isSafe(null)).isFalse();
        assertThat(SameOriginPath.isSafe("/" + "a".repeat(SameOriginPath.MAX_LENGTH)))
                .isFalse();
    }

    @Test
    void theLoginPagesScript_checksTheSameRule() throws IOException {
        String script;
        try (InputStream in = SameOriginPathTest.class.getResourceAsStream(WebUi.ROOT + "/assets/login.js")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String marker = "new RegExp(String.raw`";
        int start = script.indexOf(marker) + marker.length();

        assertThat(start).isGreaterThan(marker.length());
        assertThat(script.substring(start, script.indexOf('`', start))).isEqualTo(SameOriginPath.RULE.pattern());
    }
}
