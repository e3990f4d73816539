package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.http.TrustedProxies;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.server.ServerConfigLoader.Result;
import com.anycontact.innolicense.server.ServerConfigLoader.Setting;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import com.anycontact.innolicense.usage.UsageRetention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {

    @TempDir
    Path dir;

    private static ServerConfig loaded(Result result) {
        assertThat(result).isInstanceOf(Result.Loaded.class);
        return ((Result.Loaded) result).config();
    }

    private static List<String> problems(Result result) {
        assertThat(result).isInstanceOf(Result.Invalid.class);
        return ((Result.Invalid) result).problems();
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("server.properties"), content);
    }

    @Test
    void nothingGiven_givesTheDefaults() {
        ServerConfig config = loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()));

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.developmentTrust()).isEmpty();
        assertThat(config.adminPassword()).isEmpty();
        assertThat(config.bootstrapToken()).isEmpty();
        assertThat(config.secureCookies()).isFalse();
    }

    @Test
    void logSettings_comeFromFlagsEnvironmentAndFile() throws IOException {
        Path file = file("log-file=logs/innolicense.log\nlog-level=root=warn\n");
        Result result = ServerConfigLoader.load(
                Map.of(Setting.LOG_LEVEL, List.of("com.anycontact.innolicense.seat=debug", "org.eclipse.jetty=INFO")),
                Map.of("INNOLICENSE_LOG_FORMAT", "JSON"),
                Optional.of(file));

        assertThat(result).isInstanceOf(Result.Loaded.class);
        LogSettings logging = ((Result.Loaded) result).logging();
        assertThat(logging.format()).isEqualTo(LogSettings.Format.JSON);
        assertThat(logging.file()).contains(dir.resolve("logs/innolicense.log"));
        assertThat(logging.levels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("com.anycontact.innolicense.seat", "DEBUG", "org.eclipse.jetty", "INFO"));
    }

    @Test
    void badLogSettings_areNamedWithWhatIsExpected() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(Setting.LOG_LEVEL, List.of("seat:debug")),
                Map.of("INNOLICENSE_LOG_FORMAT", "xml"),
                Optional.empty()));

        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "log-format (from INNOLICENSE_LOG_FORMAT): 'xml' is not a log format; use text or json",
                        "log-level (from --log-level): 'seat:debug' is not AREA=LEVEL; use e.g."
                                + " com.anycontact.innolicense.seat=debug or root=warn, with a level of trace, debug,"
                                + " info, warn, error, off");
    }

    @Test
    void flags_winOverEnvironment_whichWinsOverTheFile() throws IOException {
        Path file = file("port=7000\nlease-ttl=30s\nhost=10.0.0.1\n");
        Map<String, String> env = Map.of("INNOLICENSE_PORT", "7001", "INNOLICENSE_LEASE_TTL", "2m");
        Map<Setting, List<String>> flags = Map.of(Setting.PORT, List.of("7002"));

        ServerConfig config = loaded(ServerConfigLoader.load(flags, env, Optional.of(file)));

        assertThat(config.port()).isEqualTo(7002);
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.host()).isEqualTo("10.0.0.1");
    }

    @Test
    void database_comesFromItsVariable_withThePasswordFromAnother() {
        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(),
                Map.of(
                        "INNOLICENSE_DATABASE_URL", "postgresql://innolicense@db.example.com/licensing",
                        "INNOLICENSE_DATABASE_PASSWORD", "s3cret"),
                Optional.empty()));

        PostgresUrl database = config.database().orElseThrow();
        assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com/licensing");
        assertThat(database.user()).contains("innolicense");
        assertThat(database.password()).contains("s3cret");
        assertThat(config.toString())
                .contains("database=postgresql://db.example.com/licensing")
                .doesNotContain("s3cret");
    }

    @Test
    void clusterSettings_comeFromFlagsAndVariables_withA2sBoundByDefault() {
        ServerConfig defaults = loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()));
        assertThat(defaults.cluster()).isEqualTo(ServerConfig.ClusterSettings.DEFAULT);
        assertThat(defaults.cluster().maxClockOffset()).isEqualTo(Duration.ofSeconds(2));

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(Setting.ADVERTISE_URL, List.of("http://node-a.example.com:8080")),
                Map.of("INNOLICENSE_DATABASE_URL", "postgresql://u@db/x", "INNOLICENSE_MAX_CLOCK_OFFSET", "500ms"),
                Optional.empty()));

        assertThat(config.cluster().advertiseUrl()).contains(java.net.URI.create("http://node-a.example.com:8080"));
        assertThat(config.cluster().maxClockOffset()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void badClusterSettings_nameTheSettingAndWhatIsExpected() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(
                        Setting.ADVERTISE_URL, List.of("node-a:8080"),
                        Setting.MAX_CLOCK_OFFSET, List.of("1m")),
                Map.of(),
                Optional.empty()));

        assertThat(problems)
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("advertise-url (from --advertise-url): 'node-a:8080'")
                        .contains("use e.g. http://node-a.example.com:8080"))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("max-clock-offset (from --max-clock-offset): '1m'")
                        .contains("from 100ms to 30s"));
    }

    @Test
    void aClockOffsetBound_ofAThirdOfTheLeaseTtlOrMore_isRefusedOnTheClusterDatabase() {
        Map<Setting, List<String>> flags = Map.of(
                Setting.DATABASE, List.of("postgresql://u@db/x"),
                Setting.LEASE_TTL, List.of("6s"),
                Setting.MAX_CLOCK_OFFSET, List.of("2s"));

        assertThat(problems(ServerConfigLoader.load(flags, Map.of(), Optional.empty())))
                .singleElement()
                .satisfies(problem -> assertThat(problem)
                        .startsWith("max-clock-offset: 2s is not less than a third of the lease TTL (6s)"));
    }

    @Test
    void database_flagAndFileKey_acceptAJdbcUrl() throws IOException {
        Path file = file("database=jdbc:postgresql://127.0.0.1:5432/innolicense?user=postgres\n");

        assertThat(loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
                        .database()
                        .orElseThrow()
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/innolicense?user=postgres");
        assertThat(loaded(ServerConfigLoader.load(
                                Map.of(Setting.DATABASE, List.of("postgresql://u@db/x")), Map.of(), Optional.of(file)))
                        .database()
                        .orElseThrow()
                        .display())
                .isEqualTo("postgresql://db/x");
    }

    @Test
    void aBadDatabaseUrl_namesTheSettingAndTheExpectedFormButNotTheUrlWhichMayHoldAPassword() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(Setting.DATABASE, List.of("mysql://root:hunter2@db/x")), Map.of(), Optional.empty()));

        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith("database (from --database): is not a PostgreSQL URL; use postgresql://")
                .doesNotContain("hunter2");
    }

    @Test
    void withoutDatabase_theServerUsesTheDataDirectory() {
        assertThat(loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()))
                        .database())
                .isEmpty();
    }

    @Test
    void trustedProxies_comeFromRepeatedFlagsTheVariableOrTheFile() throws IOException {
        ServerConfig fromFlags = loaded(ServerConfigLoader.load(
                Map.of(Setting.TRUSTED_PROXY, List.of("10.0.0.0/8", "fd00::/8")), Map.of(), Optional.empty()));
        ServerConfig fromVariable = loaded(ServerConfigLoader.load(
                Map.of(), Map.of("INNOLICENSE_TRUSTED_PROXY", "10.0.0.5, 192.0.2.0/24"), Optional.empty()));
        ServerConfig fromFile =
                loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.of(file("trusted-proxy=127.0.0.1\n"))));

        assertThat(fromFlags.trustedProxies().blocks()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(fromVariable.trustedProxies().blocks()).containsExactly("10.0.0.5", "192.0.2.0/24");
        assertThat(fromFile.trustedProxies().blocks()).containsExactly("127.0.0.1");
        assertThat(loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()))
                        .trustedProxies()
                        .blocks())
                .isEmpty();
    }

    @Test
    void retention_defaultsTo400DaysOfDenialsAndEveryAuditEvent_andIsReadFromFlagsAndFile() throws IOException {
        ServerConfig defaults = loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()));
        assertThat(defaults.retention()).isEqualTo(ServerConfig.Retention.DEFAULT);
        assertThat(defaults.retention().denials()).isEqualTo(Duration.ofDays(400));
        assertThat(defaults.retention().audit()).isEmpty();

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(Setting.DENIAL_RETENTION, List.of("30d")),
                Map.of(),
                Optional.of(file("audit-retention=730d\n"))));

        assertThat(config.retention().denials()).isEqualTo(Duration.ofDays(30));
        assertThat(config.retention().audit()).contains(Duration.ofDays(730));
        assertThat(loaded(ServerConfigLoader.load(
                                Map.of(Setting.AUDIT_RETENTION, List.of("off")), Map.of(), Optional.empty()))
                        .retention()
                        .audit())
                .isEmpty();
    }

    @Test
    void trustedProxy_thatIsNoAddressOrBlock_isAProblemNamingIt() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(Setting.TRUSTED_PROXY, List.of("proxy.example.org", "10.0.0.0/33")),
                Map.of(),
                Optional.empty()));

        assertThat(problems)
                .containsExactly(
                        "trusted-proxy (from --trusted-proxy): 'proxy.example.org' is not " + TrustedProxies.RULE,
                        "trusted-proxy (from --trusted-proxy): '10.0.0.0/33' is not " + TrustedProxies.RULE);
    }

    @Test
    void secrets_comeFromTheFilesNamedByTheFileVariables() throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "a first start password\n");
        Path token = Files.writeString(dir.resolve("token"), "t".repeat(40) + "\n");

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(),
                Map.of(
                        "INNOLICENSE_ADMIN_PASSWORD_FILE", password.toString(),
                        "INNOLICENSE_BOOTSTRAP_TOKEN_FILE", token.toString()),
                Optional.empty()));

        assertThat(config.adminPassword()).contains("a first start password");
        assertThat(config.bootstrapToken()).contains("t".repeat(40));
    }

    @Test
    void secretFileVariable_withAMissingFileOrBesideTheVariable_isAProblem() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(),
                Map.of(
                        "INNOLICENSE_ADMIN_PASSWORD_FILE", dir.resolve("absent").toString(),
                        "INNOLICENSE_BOOTSTRAP_TOKEN_FILE", "x",
                        "INNOLICENSE_BOOTSTRAP_TOKEN", "y".repeat(40)),
                Optional.empty()));

        assertThat(problems)
                .containsExactly(
                        "admin-password (from INNOLICENSE_ADMIN_PASSWORD_FILE): " + dir.resolve("absent")
                                + ": no such file",
                        "bootstrap-token: both INNOLICENSE_BOOTSTRAP_TOKEN and INNOLICENSE_BOOTSTRAP_TOKEN_FILE are"
                                + " set; set only one");
    }

    @Test
    void limits_comeFromFlagsVariablesAndFile_overTheDefaults() throws IOException {
        Path file = Files.writeString(
                dir.resolve("server.properties"), "max-event-streams=30\nmax-event-streams-per-caller=3\n");

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(Setting.MAX_CONNECTIONS, List.of("200")),
                Map.of("INNOLICENSE_HEADER_DEADLINE", "20s", "INNOLICENSE_MAX_REQUESTS_IN_FLIGHT", "64"),
                Optional.of(file)));

        assertThat(config.limits())
                .isEqualTo(new com.anycontact.innolicense.http.HttpLimits(200, Duration.ofSeconds(20), 64, 3, 30));
        assertThat(loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()))
                        .limits())
                .isEqualTo(com.anycontact.innolicense.http.HttpLimits.DEFAULT);
    }

    @Test
    void limits_outOfRangeOrInconsistent_areProblemsNamingTheSettings() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(Setting.MAX_CONNECTIONS, List.of("0"), Setting.HEADER_DEADLINE, List.of("soon")),
                Map.of("INNOLICENSE_MAX_REQUESTS_IN_FLIGHT", "50"),
                Optional.empty()));

        assertThat(problems)
                .containsExactly(
                        "max-connections (from --max-connections): '0' is not a number from 1 to 1000000; the"
                                + " default is 1000",
                        "header-deadline (from --header-deadline): 'soon' is not a duration from 1s to 10m; use"
                                + " e.g. 10s",
                        "max-event-streams (100) must be below max-requests-in-flight (50): each open stream holds"
                                + " one of the requests in flight; lower max-event-streams or raise"
                                + " max-requests-in-flight");
    }

    @Test
    void usageRetention_defaultsTo90DaysOfMinutesAnd3YearsOfDays_andIsReadFromFlagVariableAndFile() throws IOException {
        ServerConfig defaults = loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()));
        assertThat(defaults.retention().usage()).isEqualTo(UsageRetention.DEFAULT);
        assertThat(UsageRetention.DEFAULT.days()).isGreaterThanOrEqualTo(Duration.ofDays(3 * 366));

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(Setting.USAGE_MINUTE_RETENTION, List.of("30d")),
                Map.of("INNOLICENSE_USAGE_DAY_RETENTION", "400d"),
                Optional.of(file("usage-month-retention=P2000D\n"))));

        assertThat(config.retention().usage())
                .isEqualTo(new UsageRetention(Duration.ofDays(30), Duration.ofDays(400), Duration.ofDays(2000)));
    }

    @Test
    void usageRetention_ofDaysShorterThanTheMinutes_isRefusedNamingBoth() {
        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(Setting.USAGE_MINUTE_RETENTION, List.of("120d"), Setting.USAGE_DAY_RETENTION, List.of("60d")),
                Map.of(),
                Optional.empty()));

        assertThat(problems)
                .singleElement()
                .asString()
                .contains("usage-day-retention")
                .contains("usage-minute-retention")
                .contains("at least");
    }

    @Test
    void alertRetention_defaultsTo90Days_isReadFromTheEnvironment_andShorterThanADayIsRefused() {
        assertThat(loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.empty()))
                        .retention()
                        .alerts())
                .isEqualTo(Duration.ofDays(90));
        assertThat(loaded(ServerConfigLoader.load(
                                Map.of(), Map.of("INNOLICENSE_ALERT_RETENTION", "30d"), Optional.empty()))
                        .retention()
                        .alerts())
                .isEqualTo(Duration.ofDays(30));

        List<String> problems = problems(
                ServerConfigLoader.load(Map.of(Setting.ALERT_RETENTION, List.of("12h")), Map.of(), Optional.empty()));

        assertThat(problems)
                .singleElement()
                .asString()
                .contains("alert-retention")
                .contains("at least a day");
    }

    @Test
    void retention_shorterThanADay_isRefusedWithTheSettingNamed() {
        ServerConfigLoader.Result result =
                ServerConfigLoader.load(Map.of(Setting.DENIAL_RETENTION, List.of("5h")), Map.of(), Optional.empty());

        assertThat(result).isInstanceOf(ServerConfigLoader.Result.Invalid.class);
        assertThat(((ServerConfigLoader.Result.Invalid) result).problems())
                .singleElement()
                .asString()
                .contains("denial-retention")
                .contains("at least a day");
    }

    @Test
    void trustedKeys_comeFromRepeatedFlags() throws IOException {
        Path key = TestVendor.writePublicKey(dir);

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(Setting.DEVELOPMENT_TRUST, List.of(key.toString(), key.toString())),
                Map.of(),
                Optional.empty()));

        assertThat(config.developmentTrust()).extracting(VendorPublicKey::keyId).containsOnly(TestVendor.KEY_ID);
    }

    @Test
    void trustedKeys_inTheFile_areRelativeToTheFile() throws IOException {
        TestVendor.writePublicKey(dir);
        Path file = file("development-trust=vendor-public-key.pem\ndata-dir=state\n");

        ServerConfig config = loaded(ServerConfigLoader.load(Map.of(), Map.of(), Optional.of(file)));

        assertThat(config.developmentTrust()).extracting(VendorPublicKey::keyId).containsExactly(TestVendor.KEY_ID);
        assertThat(config.dataDirectory()).isEqualTo(dir.toAbsolutePath().resolve("state"));
    }

    @Test
    void trustedKeys_inTheEnvironment_areSeparatedByCommaOrColon() throws IOException {
        Path key = TestVendor.writePublicKey(dir);

        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(), Map.of("INNOLICENSE_DEVELOPMENT_TRUST", key + ":" + key + ", " + key), Optional.empty()));

        assertThat(config.developmentTrust()).hasSize(3);
    }

    @Test
    void aBadDuration_namesTheSettingItsSourceAndTheExpectedForm() {
        List<String> problems =
                problems(ServerConfigLoader.load(Map.of(), Map.of("INNOLICENSE_LEASE_TTL", "5x"), Optional.empty()));

        assertThat(problems)
                .containsExactly("lease-ttl (from INNOLICENSE_LEASE_TTL): '5x' is not a duration; use e.g. 60s, 2m"
                        + " or PT90S");
    }

    @Test
    void everyProblem_isReportedAtOnce() throws IOException {
        Path file = file("port=eighty\nlease-tll=60s\n");
        Map<Setting, List<String>> flags = Map.of(
                Setting.LEASE_TTL,
                List.of("0s"),
                Setting.DEVELOPMENT_TRUST,
                List.of(dir.resolve("missing.pem").toString()));

        List<String> problems = problems(ServerConfigLoader.load(flags, Map.of(), Optional.of(file)));

        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith("port (from " + file + "): 'eighty' is not a port"))
                .anySatisfy(p -> assertThat(p).contains("unknown setting 'lease-tll'"))
                .anySatisfy(p -> assertThat(p).startsWith("lease-ttl (from --lease-ttl): '0s' is out of range"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("development-trust (from --development-trust)")
                        .contains("no such file"))
                .hasSize(4);
    }

    @Test
    void aFileThatIsNotAKey_isNamed() throws IOException {
        Path notAKey = Files.writeString(dir.resolve("notes.txt"), "hello");

        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(), Map.of("INNOLICENSE_DEVELOPMENT_TRUST", notAKey.toString()), Optional.empty()));

        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("development-trust (from INNOLICENSE_DEVELOPMENT_TRUST): " + notAKey
                                + " is not a vendor public key file"));
    }

    @Test
    void theRetiredTrustSetting_isRefusedInTheEnvironmentAndTheFile_sayingWhatToUse() throws IOException {
        Path key = TestVendor.writePublicKey(dir);
        Path file = file("trust=" + key + "\n");

        List<String> problems = problems(
                ServerConfigLoader.load(Map.of(), Map.of("INNOLICENSE_TRUST", key.toString()), Optional.of(file)));

        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("INNOLICENSE_TRUST is no longer read: the vendor's production keys are built in")
                        .contains("use INNOLICENSE_DEVELOPMENT_TRUST"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("trust (from " + file + "): the setting 'trust' is no longer read")
                        .contains("use development-trust"))
                .hasSize(2);
    }

    @Test
    void twoDifferentKeysWithOneKeyId_areAProblem() throws IOException {
        Path first = TestVendor.writePublicKey(dir);
        Path second = Files.writeString(
                dir.resolve("impostor.pem"),
                com.anycontact.innolicense.license.VendorSigningKey.generate(TestVendor.KEY_ID)
                        .publicKey()
                        .toPem());

        List<String> problems = problems(ServerConfigLoader.load(
                Map.of(Setting.DEVELOPMENT_TRUST, List.of(first.toString(), second.toString())),
                Map.of(),
                Optional.empty()));

        assertThat(problems)
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("development-trust (from --development-trust): ")
                        .contains(TestVendor.KEY_ID));
    }

    @Test
    void secrets_comeFromTheEnvironment_andAreNeverShown() {
        ServerConfig config = loaded(ServerConfigLoader.load(
                Map.of(),
                Map.of("INNOLICENSE_ADMIN_PASSWORD", "s3cret-password", "INNOLICENSE_BOOTSTRAP_TOKEN", "t0ken"),
                Optional.empty()));

        assertThat(config.adminPassword()).contains("s3cret-password");
        assertThat(config.bootstrapToken()).contains("t0ken");
        assertThat(config.toString()).doesNotContain("s3cret-password", "t0ken");
    }

    @Test
    void aMissingConfigFile_isAProblem() {
        List<String> problems =
                problems(ServerConfigLoader.load(Map.of(), Map.of(), Optional.of(dir.resolve("none.properties"))));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("no such file"));
    }

    @Test
    void settingNames_areDerivedAlike() {
        assertThat(Setting.LEASE_TTL.variable()).isEqualTo("INNOLICENSE_LEASE_TTL");
        assertThat(Setting.DATA_DIR.flag()).contains("--data-dir");
        assertThat(Setting.ADMIN_PASSWORD.flag()).isEmpty();
        assertThat(Setting.BOOTSTRAP_TOKEN.fileKey()).isEqualTo("bootstrap-token");
    }
}
