package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue 11 item 9, in headless Chromium against the real server: signing in with the password generated at
 * first start shows the form to change it, and once changed the browser goes on to the dashboard. Skipped,
 * loudly, where Chromium or its driver is not installed (as {@link WebUiBrowserIT}).
 */
class PasswordChangeBrowserIT {

    private static final String NEW_PASSWORD = "my very own admin password";

    @RegisterExtension
    static final BrowserSession BROWSER = new BrowserSession(1200, 900);

    private final ChromeDriver browser = BROWSER.driver();

    @TempDir
    Path dataDirectory;

    private RunningServer running;

    @Test
    void signingInWithTheGeneratedPassword_asksForANewOne_thenReachesTheDashboard() throws Exception {
        ServerConfig config =
                ServerConfig.of("127.0.0.1", 0, dataDirectory, List.of(TestVendor.publicKey())).toBuilder()
                        .adminPassword(Optional.empty())
                        .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                        .build();
        running = RunningServer.start(dataDirectory, new FakeTime(RunningServer.START), config);
        String base = BROWSER.serve(running);
        String generated = Files.readString(dataDirectory.resolve(LicenseServer.GENERATED_PASSWORD_FILE))
                .strip();

        browser.get(base + "/login");
        BROWSER.submitSignIn("admin", generated);

        BROWSER.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("new-password")));
        assertThat(browser.findElement(By.id("login-form")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("change-password-user")).getText()).isEqualTo("admin");
        browser.findElement(By.id("new-password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.id("repeat-password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.id("change-password")).click();

        BROWSER.waiting().until(ExpectedConditions.urlContains("/dashboard"));
        BROWSER.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("user-box")));
        assertThat(browser.findElement(By.id("user-name")).getText()).startsWith("admin");
        Api.Reply login = running.api.postJson(
                "/api/v1/session", null, "{\"username\": \"admin\", \"password\": \"" + NEW_PASSWORD + "\"}");
        assertThat(login.json().path("passwordChangeRequired").asBoolean()).isFalse();
    }
}
