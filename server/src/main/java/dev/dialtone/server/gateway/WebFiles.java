package dev.dialtone.server.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser softphone and the JavaScript SDK: the files of the {@code dialtone-web} module,
 * on the classpath under {@value #ROOT}, served at {@code /} ({@code index.html}),
 * {@code /sdk/dialtone.js} and so on. Mount it after every other route: it answers only what
 * they leave.
 *
 * <p>Nothing outside the root is served (the path is normalized and stripped of dot segments
 * before it is looked up), there are no directory listings and no hidden files. Every response
 * says {@code Cache-Control: no-cache}: browsers keep the files but revalidate them with
 * {@code If-Modified-Since} (a cheap 304), so a redeployed SDK reaches them at once instead of a
 * day later.
 */
public final class WebFiles {
    /** Where the {@code dialtone-web} module puts its files on the classpath. */
    public static final String ROOT = "dialtone/web";

    /**
     * Scripts and styles from this server only (no inline code, so an injected string cannot
     * run); connections to this server's HTTP and to WebSockets (browsers before CSP 3 do not
     * count same-origin {@code ws:} as {@code 'self'}); media from the camera and microphone
     * ({@code mediastream:}) and blobs; never framed (click-jacking onto "accept call").
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; style-src 'self'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * TypeScript declarations ({@code .d.ts}) have no registered media type and Vert.x knows none;
     * served as plain text, an editor or a browser can still read them.
     */
    static final String TYPESCRIPT = "text/plain; charset=utf-8";

    private WebFiles() {
    }

    public static void mount(Router router) {
        StaticHandler files = StaticHandler.create(ROOT)
                .setIndexPage("index.html")
                .setDirectoryListing(false)
                .setIncludeHidden(false)
                // Caching on: Last-Modified and 304 answers; the Cache-Control it would add
                // (a day of max-age) is replaced in securityAndCaching.
                .setCachingEnabled(true)
                // Text types get "charset=UTF-8", not the platform's default charset.
                .setDefaultContentEncoding("UTF-8");
        // For every method, not only GET and HEAD: a route limited to those would turn every other
        // request to an unknown path (POST /dev/token on a server with a secret) into a 405.
        router.route("/*")
                .handler(WebFiles::securityAndCaching)
                .handler(files);
    }

    private static void securityAndCaching(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.next(); // not a file request: the router's 404
            return;
        }
        HttpServerResponse response = ctx.response();
        response.putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                // For browsers that predate frame-ancestors.
                .putHeader("X-Frame-Options", "DENY");
        String path = ctx.normalizedPath();
        ctx.addHeadersEndHandler(v -> {
            response.headers().set("Cache-Control", "no-cache");
            if (response.getStatusCode() == 200) {
                if (path.endsWith(".ts")) {
                    response.headers().set("Content-Type", TYPESCRIPT);
                } else if (path.endsWith(".map")) {
                    response.headers().set("Content-Type", "application/json");
                }
            }
        });
        ctx.next();
    }
}
