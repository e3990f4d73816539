package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's pages and assets over HTTP, without a browser: served from the jar, open, and complete. */
class WebUiTest {

    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"(/(?:assets|webjars)/[^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("from '\\./([^']+)'");

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private Api api;

    @BeforeEach
    void start() {
        running = RunningServer.start(dataDirectory);
        api = running.api;
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void theRootPath_sendsABrowserWithoutSessionToTheLoginPage() {
        Api.Reply reply = api.get("/", null);

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).hasValue("/login");
    }

    @Test
    void theRootPath_sendsASignedInBrowserToTheDashboard() {
        Api.Reply login = api.postJson(
                "/api/v1/session",
                null,
                "{\"username\": \"admin\", \"password\": \"" + RunningServer.ADMIN_PASSWORD + "\"}");
        String cookie = login.header("Set-Cookie").orElseThrow().split(";")[0];

        Api.Reply reply = api.request("GET", "/", null, null, Map.of("Cookie", cookie));

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).hasValue("/dashboard");
    }

    @Test
    void everyPage_isServedToAnyone_withAPolicyThatAllowsThisServerOnly() {
        for (String page : List.of("/login", "/dashboard", "/admin")) {
            Api.Reply reply = api.get(page, null);

            assertThat(reply.status()).as(page).isEqualTo(200);
            assertThat(reply.contentType()).as(page).startsWith("text/html");
            assertThat(reply.header("Content-Security-Policy"))
                    .as(page)
                    .hasValueSatisfying(policy -> assertThat(policy)
                            .contains("default-src 'self'")
                            .contains("script-src 'self'")
                            .contains("frame-ancestors 'none'"));
            assertThat(reply.body()).as(page).doesNotContain("style=\"").doesNotContain("http://", "https://");
        }
    }

    @Test
    void everyAssetThePagesAndScriptsNeed_isServedFromTheJar() {
        List<String> assets = new ArrayList<>();
        for (String page : List.of("/login", "/dashboard", "/admin")) {
            Matcher references = REFERENCE.matcher(api.get(page, null).body());
            while (references.find()) {
                assets.add(references.group(1));
            }
        }
        for (int i = 0; i < assets.size(); i++) {
            String asset = assets.get(i);
            Api.Reply reply = api.get(asset, null);
            assertThat(reply.status()).as(asset).isEqualTo(200);
            assertThat(reply.body()).as(asset).isNotBlank();
            if (asset.endsWith(".js") && asset.startsWith("/assets/")) {
                assertThat(reply.contentType()).as(asset).contains("javascript");
                Matcher imports = IMPORT.matcher(reply.body());
                while (imports.find()) {
                    String imported = "/assets/" + imports.group(1);
                    if (!assets.contains(imported)) {
                        assets.add(imported);
                    }
                }
            }
        }
        assertThat(assets)
                .contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/assets/agents.js", "/assets/api.js");
    }

    @Test
    void anUnknownAsset_isNotFound() {
        assertThat(api.get("/assets/no-such-file.js", null).status()).isEqualTo(404);
    }
}
