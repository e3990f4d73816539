package com.anycontact.innolicense.http;

import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.license.AppliedLicense;
import com.anycontact.innolicense.license.ApplyResult;
import com.anycontact.innolicense.license.ClockJumpRecorder;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.license.LicenseStatus;
import com.anycontact.innolicense.license.LicenseWarning;
import com.anycontact.innolicense.license.TrustMode;
import com.anycontact.innolicense.license.TrustedClock;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.seat.SeatLedger;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/** AC Admin's license API: the status, applying and previewing a key, and the history of applied keys. */
final class LicenseRoutes {

    /**
     * The largest license key body accepted; larger bodies are refused before they are read whole. Any
     * media type but multipart is read as the key text, so that {@code curl --data-binary @key.lic}
     * works without a {@code Content-Type} header.
     */
    static final int MAX_KEY_BODY_BYTES = 16 * 1024;

    /** The customer a license is issued to. */
    record CustomerView(String id, String name) {}

    /** The terms of one license; instants with offset and zone, e.g. {@code 2026-01-01T00:00:00+01:00[Europe/Berlin]}. */
    record LicenseTerms(
            String licenseId,
            long serial,
            String keyId,
            CustomerView customer,
            String orderId,
            String installationId,
            SortedSet<String> features,
            int seats,
            String start,
            String end,
            String graceEnd,
            String issuedAt) {}

    /** A warning for administrators. */
    record WarningView(String code, String message) {}

    /**
     * The license clock beside the system clock: {@code offset} is system minus trusted time as an ISO-8601
     * duration, {@code since} the trusted time the system clock stepped away, {@code null} while it agrees.
     */
    record ClockView(String trustedTime, String systemTime, String offset, String since) {}

    /** One trusted vendor key: built in ({@code PRODUCTION}) or given with --development-trust. */
    record TrustedKeyView(String keyId, String fingerprint, String source) {}

    /** Which keys the server trusts: {@code PRODUCTION} (built in only) or {@code DEVELOPMENT}. */
    record TrustView(String mode, List<TrustedKeyView> keys) {}

    /** A stored license left out of the lifecycle because it did not verify when loaded. */
    record IgnoredView(long serial, String licenseId, String reason, String message) {}

    /** The license status as AC Admin shows it. */
    record StatusView(
            String state,
            String installationId,
            int capacity,
            int inUse,
            SortedSet<String> features,
            LicenseTerms license,
            String start,
            String end,
            String graceEnd,
            long daysRemaining,
            LicenseTerms pending,
            List<WarningView> warnings,
            String evaluatedAt,
            ClockView clock,
            TrustView trust,
            List<IgnoredView> ignoredLicenses) {}

    /** What applying a key would do. */
    record PreviewView(LicenseTerms license, StatusView statusAfter) {}

    /** One applied key. */
    record AppliedView(LicenseTerms license, String appliedAt, String appliedBy) {}

    /** Every applied key, newest first. */
    record HistoryView(List<AppliedView> licenses) {}

    private final LicenseService licenses;
    private final Cluster cluster;
    private final SeatLedger ledger;
    private final TrustedClock clock;
    private final Json json;

    LicenseRoutes(LicenseService licenses, SeatLedger ledger, TrustedClock clock, Cluster cluster, Json json) {
        this.licenses = licenses;
        this.cluster = cluster;
        this.ledger = ledger;
        this.clock = clock;
        this.json = json;
    }

    void status(Context ctx) {
        json.write(ctx, 200, view(licenses.status()));
    }

    void apply(Context ctx) {
        String keyText = keyText(ctx);
        String actor = Authenticator.principal(ctx).auditName();
        switch (licenses.apply(keyText, actor)) {
            case ApplyResult.Applied applied -> json.write(ctx, 200, view(applied.status()));
            case ApplyResult.Refused refused -> throw rejected(refused);
        }
    }

    void preview(Context ctx) {
        String keyText = keyText(ctx);
        switch (licenses.preview(keyText)) {
            case ApplyResult.Applied applied ->
                json.write(ctx, 200, new PreviewView(terms(applied.license()), view(applied.status())));
            case ApplyResult.Refused refused -> throw rejected(refused);
        }
    }

    void history(Context ctx) {
        List<AppliedView> applied =
                licenses.history().stream().map(LicenseRoutes::applied).toList();
        json.write(ctx, 200, new HistoryView(applied));
    }

    private static AppliedView applied(AppliedLicense applied) {
        return new AppliedView(terms(applied.license()), applied.appliedAt().toString(), applied.appliedBy());
    }

    private static ProblemException rejected(ApplyResult.Refused refused) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("reason", refused.reason().name());
        members.put("description", refused.reason().describe());
        return ProblemType.LICENSE_KEY_REJECTED.problem(refused.message(), members);
    }

    private static String keyText(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.startsWith("multipart/")) {
            throw ProblemType.UNSUPPORTED_MEDIA_TYPE.problem("send the license key as the raw body (text/plain or"
                    + " application/x-pem-file), e.g. curl --data-binary @key.lic, not as a form upload");
        }
        byte[] body = Json.body(ctx, MAX_KEY_BODY_BYTES);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Json.invalid("", "the license key must be UTF-8 text");
        }
    }

    StatusView view(LicenseStatus status) {
        Optional<License> current = status.current();
        TrustedClock.Reading reading = clock.read();
        List<WarningView> warnings = new ArrayList<>();
        status.warnings().forEach(w -> warnings.add(new WarningView(w.code().name(), w.message())));
        reading.jump()
                .ifPresent(jump -> warnings.add(
                        new WarningView(LicenseWarning.Code.CLOCK_JUMPED.name(), clockWarning(reading, jump))));
        // A node on development trust has its own banner; one on production trust names the others that are.
        if (licenses.trust().mode() == TrustMode.PRODUCTION) {
            cluster.status()
                    .developmentTrustWarning()
                    .ifPresent(message -> warnings.add(
                            new WarningView(LicenseWarning.Code.DEVELOPMENT_TRUST_IN_CLUSTER.name(), message)));
        }
        return new StatusView(
                status.state().name(),
                licenses.installationId().value(),
                status.capacity(),
                ledger.inUse(),
                status.features(),
                current.map(LicenseRoutes::terms).orElse(null),
                current.map(License::startZoned).map(LicenseRoutes::zoned).orElse(null),
                current.map(License::endZoned).map(LicenseRoutes::zoned).orElse(null),
                current.map(License::graceEndZoned).map(LicenseRoutes::zoned).orElse(null),
                status.daysRemaining(),
                status.pending().map(LicenseRoutes::terms).orElse(null),
                List.copyOf(warnings),
                status.evaluatedAt().toString(),
                new ClockView(
                        reading.trustedTime().toString(),
                        reading.systemTime().toString(),
                        reading.offset().toString(),
                        reading.jump()
                                .map(jump -> jump.trustedTime().toString())
                                .orElse(null)),
                trust(licenses.trust()),
                licenses.ignored().stream()
                        .map(i -> new IgnoredView(
                                i.serial(), i.licenseId(), i.reason().name(), i.message()))
                        .toList());
    }

    private static String clockWarning(TrustedClock.Reading reading, TrustedClock.ClockJump jump) {
        Duration offset = reading.offset();
        return switch (jump.direction()) {
            case FORWARD ->
                "The system clock reads " + ClockJumpRecorder.describe(offset) + " ahead of trusted time (since "
                        + jump.trustedTime() + "); license time and leases go on by the monotonic clock. Correct"
                        + " the system clock, or restart the server if the system clock is right";
            case BACK ->
                "The system clock reads " + ClockJumpRecorder.describe(offset.negated())
                        + " behind trusted time (since " + jump.trustedTime() + "); license time and leases go on"
                        + " by the monotonic clock. Correct the system clock";
        };
    }

    private static TrustView trust(TrustedKeys trust) {
        return new TrustView(
                trust.mode().name(),
                trust.keys().stream()
                        .map(key -> new TrustedKeyView(
                                key.keyId(),
                                key.fingerprint(),
                                trust.isDevelopment(key.keyId())
                                        ? TrustMode.DEVELOPMENT.name()
                                        : TrustMode.PRODUCTION.name()))
                        .toList());
    }

    static LicenseTerms terms(License license) {
        return new LicenseTerms(
                license.licenseId(),
                license.serial(),
                license.keyId(),
                new CustomerView(license.customer().id(), license.customer().name()),
                license.orderId(),
                license.installationId().value(),
                license.features(),
                license.seats(),
                zoned(license.startZoned()),
                zoned(license.endZoned()),
                zoned(license.graceEndZoned()),
                license.issuedAt().toString());
    }

    private static String zoned(ZonedDateTime time) {
        return DateTimeFormatter.ISO_ZONED_DATE_TIME.format(time);
    }
}
