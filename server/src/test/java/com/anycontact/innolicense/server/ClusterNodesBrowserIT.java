package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * AC Admin's "Cluster nodes" tab in headless Chromium: on two nodes sharing a real PostgreSQL it lists both, with
 * their address, release and last heartbeat, and marks the leader, the node answering and a node on development
 * trust (whose presence a node on production trust also shows in its state banner); on the embedded server
 * it shows the one node, leading. Skipped, loudly, where Chromium or PostgreSQL is not available.
 */
class ClusterNodesBrowserIT {

    @RegisterExtension
    static final BrowserSession BROWSER = new BrowserSession(1400, 900);

    private final ChromeDriver browser = BROWSER.driver();

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private final List<LicenseServer> servers = new ArrayList<>();
    private TestPostgres database;

    @AfterEach
    void stopServers() {
        servers.forEach(LicenseServer::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void twoNodesOnOneDatabase_areListed_withTheLeaderMarked() {
        database = TestPostgres.create(getClass());
        LicenseServer first = startOnDatabase(config().toBuilder());
        LicenseServer second = startOnDatabase(config().toBuilder());
        servers.forEach(LicenseServer::tick);
        LicenseServer leader = first.cluster().leads() ? first : second;

        BROWSER.signInAsAdmin(second.url());
        browser.get(second.url() + "/admin#cluster");
        BROWSER.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#cluster-rows tr"), 2));

        List<WebElement> rows = browser.findElements(By.cssSelector("#cluster-rows tr"));
        assertThat(rows.get(0).getText())
                .as("the leader first")
                .contains(leader.url())
                .contains("Leader")
                .contains(LicenseServer.VERSION)
                .contains("served");
        assertThat(rows.get(1).getText()).contains("Follower");
        assertThat(rows)
                .filteredOn(row -> row.getText().contains("(this node)"))
                .singleElement()
                .satisfies(row -> assertThat(row.getText()).contains(second.url()));
        assertThat(browser.findElement(By.id("cluster-summary")).getText())
                .contains("2 nodes share the cluster database");
    }

    @Test
    void aNodeOnDevelopmentTrust_isMarked_andANodeOnProductionTrustWarnsOfItInItsBanner() {
        database = TestPostgres.create(getClass());
        LicenseServer production = startOnDatabase(config().toBuilder().developmentTrust(List.of()));
        LicenseServer development = startOnDatabase(config().toBuilder());
        servers.forEach(LicenseServer::tick);

        BROWSER.signInAsAdmin(production.url());
        browser.get(production.url() + "/admin#cluster");
        BROWSER.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#cluster-rows tr"), 2));

        List<WebElement> rows = browser.findElements(By.cssSelector("#cluster-rows tr"));
        assertThat(rows)
                .filteredOn(row -> row.getText().contains(development.url()))
                .singleElement()
                .satisfies(row -> assertThat(row.getText()).contains("development trust"));
        assertThat(rows)
                .filteredOn(row -> row.getText().contains(production.url()))
                .singleElement()
                .satisfies(row -> assertThat(row.getText()).doesNotContain("development trust"));
        WebElement warning = BROWSER.waiting()
                .until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#state-banner p[data-code='DEVELOPMENT_TRUST_IN_CLUSTER']")));
        assertThat(warning.getText())
                .contains(development.url())
                .contains("runs on development trust")
                .contains("without --development-trust");
    }

    @Test
    void theEmbeddedServer_isOneNode_thatLeads() {
        LicenseServer only = start(config());

        BROWSER.signInAsAdmin(only.url());
        browser.get(only.url() + "/admin#cluster");
        BROWSER.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#cluster-rows tr"), 1));

        assertThat(browser.findElement(By.cssSelector("#cluster-rows tr")).getText())
                .contains(only.url() + " (this node)")
                .contains("Leader");
        assertThat(browser.findElement(By.id("cluster-summary")).getText()).contains("embedded database");
    }

    private ServerConfig config() {
        return ServerConfig.of("127.0.0.1", 0, data.resolve("node-" + servers.size()), List.of(TestVendor.publicKey()))
                .toBuilder()
                .adminPassword(Optional.of(RunningServer.ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .build();
    }

    /** A node of the test's cluster database, with these settings. */
    private LicenseServer startOnDatabase(ServerConfig.Builder settings) {
        return start(settings.database(Optional.of(database.url()))
                .cluster(TestPostgres.FAKE_CLOCK)
                .build());
    }

    private LicenseServer start(ServerConfig config) {
        LicenseServer server = LicenseServer.open(
                config,
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        servers.add(server);
        server.start();
        return server;
    }
}
