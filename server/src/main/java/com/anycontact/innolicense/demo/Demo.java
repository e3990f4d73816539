package com.anycontact.innolicense.demo;

import com.anycontact.innolicense.access.TokenSecrets;
import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.license.VendorSigningKey;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import com.anycontact.innolicense.server.StartupRefused;
import com.anycontact.innolicense.simulator.LoadPattern;
import com.anycontact.innolicense.simulator.ProgressPrinter;
import com.anycontact.innolicense.simulator.Simulation;
import com.anycontact.innolicense.simulator.SimulationSettings;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code innolicense server --demo}: the real license server with everything a newcomer needs to see it work. A
 * throwaway vendor key (in memory only) is trusted as a development key, so the demo runs on development trust
 * and nothing it signs is accepted by any other server; a sample license for this installation is issued with it
 * and applied; an ACD token is created; and {@value #AGENTS} simulated agents play {@link LoadPattern#SHIFT}
 * shifts of {@link #SHIFT} against the server, in this process and for as long as it runs, so that the dashboard
 * moves: agents log in, take breaks, run into the {@value #SEATS}-seat limit, log out, and a few crash and are
 * reaped. Unless a data directory is given, the data lives in a temporary directory deleted at the end.
 *
 * <p>The demo sets itself up through the server's own HTTP API, with a bootstrap admin token made for the
 * purpose and revoked once it is done (unless {@code INNOLICENSE_BOOTSTRAP_TOKEN} chose it), so the audit
 * log tells the story as it would for a real installation.
 *
 * <p>Use: {@link #prepare} before the server opens, {@link #begin} once it listens, {@link #stopAgents} before
 * it closes, {@link #deleteData} after.
 */
public final class Demo {

    /** The sample license's customer. */
    public static final String CUSTOMER = "Demo Contact Center GmbH";
    /** The sample license's seats. */
    public static final int SEATS = 50;
    /** The sample license's features. */
    public static final Set<String> FEATURES = Set.of("ACD", "IVR", "RECORDING", "REPORTING", "CHAT");
    /** How many agents the demo simulates: more than the seats, so that denials occur. */
    public static final int AGENTS = 60;
    /** How long one simulated shift lasts; the shifts repeat for as long as the server runs. */
    public static final Duration SHIFT = Duration.ofMinutes(6);
    /** The chance that a stretch of work ends in a crash: a few per shift. */
    public static final double CRASH_RATE = 0.03;

    /** The simulated agents' IDs: {@code agent-0001} and on; {@code innolicense simulate} uses another prefix. */
    public static final String AGENT_PREFIX = "agent-";

    private static final double WARM_START = 0.1;
    private static final String KEY_ID = "demo-vendor";
    private static final String ACD_TOKEN_NAME = "demo-simulator";
    private static final String BOOTSTRAP_TOKEN_NAME = "bootstrap";
    private static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API's answer: status and body. */
    private record Answer(int status, JsonNode json, String body) {}

    private final Clock clock;
    private final VendorSigningKey vendor = VendorSigningKey.generate(KEY_ID);
    private final ServerConfig config;
    private final Optional<Path> temporaryData;
    private final Optional<String> shownPassword;
    private final String setupToken;
    private final boolean setupTokenOwned;
    private final Instant preparedAt;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Simulation simulation;
    private ProgressPrinter printer;

    private Demo(
            Clock clock,
            ServerConfig loaded,
            Optional<Path> temporaryData,
            Optional<String> generatedPassword,
            Optional<String> generatedToken) {
        this.clock = clock;
        this.temporaryData = temporaryData;
        Path data = temporaryData.orElse(loaded.dataDirectory());
        this.shownPassword = generatedPassword;
        this.setupToken = loaded.bootstrapToken().or(() -> generatedToken).orElseThrow();
        this.setupTokenOwned = loaded.bootstrapToken().isEmpty();
        this.preparedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<VendorPublicKey> trusted = new ArrayList<>(loaded.developmentTrust());
        trusted.add(vendor.publicKey());
        this.config = loaded.toBuilder()
                .dataDirectory(data)
                .developmentTrust(trusted)
                .adminPassword(loaded.adminPassword().or(() -> generatedPassword))
                .bootstrapToken(Optional.of(setupToken))
                .database(Optional.empty())
                .build();
    }

    /**
     * Prepares a demo over the configuration the server would run with.
     *
     * @param loaded the configuration from flags, environment and file
     * @param dataDirectoryGiven whether {@code --data-dir} named the data directory; if not, a temporary one
     *     is made
     * @throws StartupRefused when {@code --data-dir} names a directory that already holds an installation:
     *     the demo's license, signed by a key that exists only in this process, must never land in a real one
     * @throws UncheckedIOException when the temporary directory cannot be made
     */
    public static Demo prepare(ServerConfig loaded, boolean dataDirectoryGiven, Clock clock) {
        Optional<Path> temporary = Optional.empty();
        if (dataDirectoryGiven && Files.exists(loaded.dataDirectory().resolve(SqliteDatabase.FILE_NAME))) {
            throw new StartupRefused("--demo never runs on an existing installation, and "
                    + loaded.dataDirectory() + " holds one (" + SqliteDatabase.FILE_NAME + "): run the demo without"
                    + " --data-dir (it then uses a temporary directory), or with a new, empty one");
        }
        if (!dataDirectoryGiven) {
            try {
                temporary = Optional.of(Files.createTempDirectory("innolicense-demo-"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary data directory for the demo", e);
            }
        }
        SecureRandom random = new SecureRandom();
        Optional<String> password =
                loaded.adminPassword().isPresent() ? Optional.empty() : Optional.of(randomText(random, 18));
        Optional<String> token =
                loaded.bootstrapToken().isPresent() ? Optional.empty() : Optional.of(TokenSecrets.generate());
        return new Demo(clock, loaded, temporary, password, token);
    }

    /** The configuration to open the server with: the demo's data directory, vendor key and bootstrap. */
    public ServerConfig config() {
        return config;
    }

    /**
     * Sets the started server up and lets the agents in: applies the sample license, creates the ACD token,
     * revokes the setup token, starts the simulation, and prints where to sign in.
     *
     * @param out where the banner goes
     * @param err where a line of the agents' progress goes every minute
     * @throws DemoSetupFailed when the server refuses a step
     */
    public void begin(LicenseServer server, PrintStream out, PrintStream err) {
        URI base = URI.create(server.url());
        License license = sampleLicense(server);
        Answer applied = send(base, "POST", "/api/v1/license", "text/plain", new LicenseSigner(vendor).sign(license));
        String licenseLine;
        if (applied.status() == 200) {
            licenseLine = CUSTOMER + ": " + SEATS + " seats, " + String.join(", ", license.features()) + "; "
                    + applied.json().path("state").asText() + " until "
                    + License.displayTime(license.endZoned());
        } else if (applied.status() == 422) {
            licenseLine = "the sample license was not applied (" + detail(applied) + "); the license already in "
                    + config.dataDirectory() + " stays";
        } else {
            throw failed("applying the sample license", applied);
        }
        Answer created = send(
                base,
                "POST",
                "/api/v1/tokens",
                "application/json",
                "{\"name\": \"" + ACD_TOKEN_NAME + "\", \"role\": \"ACD\"}");
        if (created.status() != 201) {
            throw failed("creating the ACD token", created);
        }
        if (setupTokenOwned) {
            revokeSetupToken(base);
        }
        simulation = Simulation.start(
                base,
                created.json().path("token").asText(),
                new SimulationSettings(
                        AGENTS,
                        AGENT_PREFIX,
                        LoadPattern.SHIFT,
                        SHIFT,
                        CRASH_RATE,
                        new SecureRandom().nextLong(),
                        WARM_START));
        printer = ProgressPrinter.start(simulation, err, false, PROGRESS_EVERY, "demo agents: ");
        out.println();
        out.println("innoACD Licensing demo: a throwaway license server with simulated agents");
        out.println();
        out.println("  Open      " + server.url());
        out.println("  Sign in   " + signIn());
        out.println("  License   " + licenseLine);
        out.println("  Agents    " + AGENTS + " simulated agents on " + SHIFT.toMinutes()
                + "-minute shifts: they log in, take breaks, are denied when all seats are taken,");
        out.println("            log out, and a few crash without logging out, so the server reaps their seats");
        out.println("  Data      " + config.dataDirectory().toAbsolutePath().normalize()
                + (temporaryData.isPresent() ? " (deleted when the server stops)" : ""));
        out.println();
        out.println("Stop with Ctrl-C. The vendor key that signed the sample license exists only in this process.");
        out.println();
        out.flush();
    }

    /** Stops the agents and releases their seats (not those of crashed agents); the server still runs. */
    public void stopAgents() {
        if (printer != null) {
            printer.close();
        }
        if (simulation != null) {
            simulation.stop();
        }
    }

    /**
     * Deletes the temporary data directory, once the server is closed; keeps a data directory that was given.
     * Idempotent.
     */
    public void deleteData() {
        if (temporaryData.isEmpty() || !Files.exists(temporaryData.get())) {
            return;
        }
        try (Stream<Path> paths = Files.walk(temporaryData.get())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's data directory " + temporaryData.get(), e);
        }
    }

    /** The simulation, once {@link #begin} started it. */
    public Optional<Simulation> simulation() {
        return Optional.ofNullable(simulation);
    }

    private License sampleLicense(LicenseServer server) {
        Instant now = clock.instant();
        ZoneId zone = clock.getZone();
        long serial = now.getEpochSecond();
        return new License(
                "DEMO-" + serial,
                serial,
                KEY_ID,
                new Customer("DEMO", CUSTOMER),
                "DEMO-ORDER",
                server.installationId(),
                License.features(FEATURES),
                SEATS,
                LocalDate.ofInstant(now, zone).minusDays(1),
                zone,
                License.DEFAULT_TERM_MONTHS,
                License.DEFAULT_GRACE_DAYS,
                now);
    }

    private void revokeSetupToken(URI base) {
        Answer tokens = send(base, "GET", "/api/v1/tokens", null, null);
        if (tokens.status() != 200) {
            throw failed("listing the API tokens", tokens);
        }
        for (JsonNode token : tokens.json().path("tokens")) {
            boolean ours = token.path("name").asText().equals(BOOTSTRAP_TOKEN_NAME)
                    && !Instant.parse(token.path("createdAt").asText()).isBefore(preparedAt);
            if (ours) {
                Answer revoked = send(
                        base, "DELETE", "/api/v1/tokens/" + token.path("id").asText(), null, null);
                if (revoked.status() != 204) {
                    throw failed("revoking the setup token", revoked);
                }
            }
        }
    }

    private String signIn() {
        return shownPassword
                .map(password -> "user admin, password " + password)
                .orElse("user admin, with the password in INNOLICENSE_ADMIN_PASSWORD");
    }

    private Answer send(URI base, String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + setupToken)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), parse(response.body()), response.body());
        } catch (IOException e) {
            throw new DemoSetupFailed("the demo could not reach its own server at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoSetupFailed("interrupted while setting the demo up", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String detail(Answer answer) {
        JsonNode detail = answer.json().path("detail");
        return detail.isTextual() ? detail.asText() : "HTTP " + answer.status() + " " + answer.body();
    }

    private static DemoSetupFailed failed(String step, Answer answer) {
        return new DemoSetupFailed("the demo failed " + step + ": " + detail(answer), null);
    }

    private static String randomText(SecureRandom random, int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
