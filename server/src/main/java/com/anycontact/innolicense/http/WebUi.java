package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.Sessions;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The web UI, served from the jar: the pages {@code /login}, {@code /dashboard} (AC Agent Dashboard),
 * {@code /reports} and {@code /reports/month} (usage reports, the printable monthly report) and
 * {@code /admin} (AC Admin), their scripts and styles under {@code /assets}, and uPlot from its WebJar under
 * {@code /webjars}. Nothing is fetched from anywhere else. {@code /} sends a signed-in browser to the
 * dashboard and any other to the login page; {@code /login} with a {@code next} that leaves this server
 * ({@link SameOriginPath}) is sent to a plain {@code /login}. The pages hold no data: every figure comes from the API, which
 * checks the role on every call, so a page reached without the role shows nothing it may not.
 *
 * <p>Every page is sent with a content security policy that allows scripts, styles and connections from this
 * server only, and forbids framing.
 */
final class WebUi {

    /** Where the pages and assets are on the class path. */
    static final String ROOT = "/web";

    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'; object-src 'none'";

    private static final Map<String, String> PAGES = Map.of(
            "/login", "login.html",
            "/dashboard", "dashboard.html",
            "/reports", "reports.html",
            "/reports/month", "month-report.html",
            "/admin", "admin.html");

    private final Sessions sessions;
    private final SessionCookie cookie;
    private final Map<String, byte[]> pages = new LinkedHashMap<>();

    WebUi(Sessions sessions, SessionCookie cookie) {
        this.sessions = sessions;
        this.cookie = cookie;
        PAGES.forEach((path, file) -> pages.put(path, resource(ROOT + "/" + file)));
    }

    void register(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/assets";
            files.directory = ROOT + "/assets";
            files.location = Location.CLASSPATH;
            files.roles = Set.of(ApiRole.ANYONE);
            files.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
        });
        config.staticFiles.add(files -> {
            files.hostedPath = "/webjars";
            files.directory = "/META-INF/resources/webjars";
            files.location = Location.CLASSPATH;
            files.roles = Set.of(ApiRole.ANYONE);
            files.headers =
                    Map.of("Cache-Control", "public, max-age=31536000, immutable", "X-Content-Type-Options", "nosniff");
        });
        config.routes.addHttpHandler(HandlerType.GET, "/", this::root, ApiRole.ANYONE);
        for (String path : pages.keySet()) {
            config.routes.addHttpHandler(HandlerType.GET, path, ctx -> page(ctx, path), ApiRole.ANYONE);
        }
    }

    private void root(Context ctx) {
        boolean signedIn = sessions.isLive(cookie.read(ctx).orElse(null));
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(signedIn ? "/dashboard" : "/login");
    }

    private void page(Context ctx, String path) {
        if (path.equals("/login") && !ctx.queryParams("next").stream().allMatch(SameOriginPath::isSafe)) {
            ctx.header("Cache-Control", "no-store");
            ctx.redirect("1".equals(ctx.queryParam("expired")) ? "/login?expired=1" : "/login", HttpStatus.SEE_OTHER);
            return;
        }
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(pages.get(path));
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebUi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the web UI resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
