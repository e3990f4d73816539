package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security regression suite, redirects (issue 11 item 3), over a real port: {@code /login?next=} with a
 * destination off this server is sent back to a plain {@code /login} before any script sees it; a path of this
 * server is served as it is. The page's own check is tested in Chromium ({@code SecurityBrowserIT}) and the
 * rule itself with a corpus of bypasses ({@code SameOriginPathTest}).
 */
class SecurityRedirectsTest {

    @TempDir
    Path data;

    private RunningServer running;

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/%5Cexample.org",
                "/%09/example.org",
                "//example.org",
                "https://example.org/",
                "/%0d%0a/example.org",
                "%2F%2Fexample.org",
                "/\\example.org"
            })
    void aNextOffThisServer_isDroppedBeforeThePageLoads(String next) {
        Api.Reply reply = running.api.get("/login?next=" + next.replace("\\", "%5C"), null);

        assertThat(reply.status()).isEqualTo(303);
        assertThat(reply.header("Location")).hasValue("/login");
    }

    @Test
    void aNextOnThisServer_isServedAsItIs() {
        Api.Reply reply = running.api.get("/login?next=%2Fadmin%23users", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/html");
    }
}
