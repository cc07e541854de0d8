package dev.dialtone.server.gateway;

import dev.dialtone.protocol.Limits;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The HTTP endpoints: {@code GET /healthz}, {@code GET /metrics} (Prometheus),
 * {@code GET /v1/client-config} (what a browser page needs to know before it signs in), and in
 * development mode only {@code POST /dev/token?user=NAME}, answered to loopback callers only.
 * The web files ({@link WebFiles}) are mounted separately, after every other route.
 */
public final class HttpRoutes {
    private static final Duration DEV_TOKEN_TTL = Duration.ofHours(12);
    public static final String CLIENT_CONFIG_PATH = "/v1/client-config";

    private HttpRoutes() {
    }

    public static Router router(Vertx vertx, Metrics metrics, TokenService tokens, boolean devMode) {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        if (devMode) {
            router.post("/dev/token").handler(ctx -> devToken(ctx, tokens));
        }
        // Whether a name is enough to sign in (development mode: POST /dev/token) or the page must
        // ask for a token. It changes with the server's configuration, so browsers revalidate it.
        String clientConfig = new JsonObject().put("devMode", devMode).put("websocketPath", Gateway.PATH).encode();
        router.get(CLIENT_CONFIG_PATH).handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-cache")
                .end(clientConfig));
        return router;
    }

    private static void devToken(RoutingContext ctx, TokenService tokens) {
        if (!fromLoopback(ctx)) {
            ctx.response().setStatusCode(403).end();
            return;
        }
        String user = ctx.request().getParam("user");
        if (user == null || user.isBlank() || user.length() > Limits.MAX_USER_LENGTH
                || !user.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "user must be 1–128 visible characters").encode());
            return;
        }
        ctx.json(new JsonObject().put("token", tokens.sign(user, DEV_TOKEN_TTL)));
    }

    private static boolean fromLoopback(RoutingContext ctx) {
        try {
            return InetAddress.getByName(ctx.request().remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
