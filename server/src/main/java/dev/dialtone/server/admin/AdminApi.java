package dev.dialtone.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Limits;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.calls.CallService;
import dev.dialtone.server.records.RecordQuery;
import dev.dialtone.server.session.Session;
import dev.dialtone.server.session.SessionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API under {@code /api/v1}, for the business server: call history and single
 * calls, calls in progress, a forced hang-up, a user's presence, and client tokens. Every route but
 * {@code GET /api/v1/openapi.json} needs {@code Authorization: Bearer <DIALTONE_ADMIN_KEY>}; with
 * no key configured the API answers 404 to everything but the document. Errors are
 * {@code {"error":"<code>","message":"<plain words>"}}. The routes are described, and tested
 * against, {@code openapi.json} beside this class.
 */
public final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    public static final String BASE = "/api/v1";
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final long MAX_TOKEN_TTL_SECONDS = 30L * 24 * 3600;

    private final CallService calls;
    private final CallArchive archive;
    private final SessionRegistry sessions;
    private final TokenService tokens;
    private final AdminKey key;
    private final ObjectMapper json = WireCodec.get().mapper();

    /** @param adminKey the bearer key; null turns the API off */
    public AdminApi(CallService calls, CallArchive archive, SessionRegistry sessions, TokenService tokens,
                    String adminKey) {
        this.calls = calls;
        this.archive = archive;
        this.sessions = sessions;
        this.tokens = tokens;
        this.key = adminKey == null || adminKey.isEmpty() ? null : new AdminKey(adminKey);
    }

    /** The OpenAPI document, as served. */
    public static String openApiDocument() {
        try (InputStream in = AdminApi.class.getResourceAsStream("openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        String document = openApiDocument();
        router.get(BASE + "/openapi.json").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json").end(document));
        router.route(BASE + "/*").handler(this::authenticate);
        router.route(BASE + "/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.get(BASE + "/calls").handler(this::search);
        router.get(BASE + "/calls/active").handler(this::active);
        router.get(BASE + "/calls/:callId").handler(this::oneCall);
        router.post(BASE + "/calls/:callId/hangup").handler(this::hangup);
        router.get(BASE + "/users/:user/presence").handler(this::presence);
        router.post(BASE + "/tokens").handler(this::mintToken);
        router.route(BASE + "/*").handler(ctx -> error(ctx, 404, "not_found", "no such admin route"));
        // Failures (a body over the limit, a form the body reader cannot parse) answer in JSON too.
        router.route(BASE + "/*").failureHandler(this::failed);
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            error(ctx, 413, "too_large", "the body must be at most " + MAX_BODY_BYTES + " bytes");
        } else if (status >= 400 && status < 500) {
            error(ctx, status, "bad_request", "the body cannot be read");
        } else {
            log.warn("admin {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            error(ctx, 500, "internal", "the admin API failed; see the server log");
        }
    }

    private void authenticate(RoutingContext ctx) {
        if (key == null) {
            error(ctx, 404, "disabled", "the admin API is off; set DIALTONE_ADMIN_KEY to turn it on");
        } else if (!key.admits(ctx)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            error(ctx, 401, "unauthorized", "send Authorization: Bearer <DIALTONE_ADMIN_KEY>");
        } else {
            ctx.next();
        }
    }

    // ---- calls -------------------------------------------------------------------------------

    private void search(RoutingContext ctx) {
        RecordQuery search;
        try {
            search = new RecordQuery(filter(ctx, "user"), filter(ctx, "caller"),
                    reason(filter(ctx, "reason")), epochMs(ctx, "from"), epochMs(ctx, "to"),
                    limit(filter(ctx, "limit")), filter(ctx, "cursor"));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "bad_request", e.getMessage());
            return;
        }
        answer(ctx, archive.search(search), page -> {
            ObjectNode body = json.createObjectNode();
            body.set("calls", json.valueToTree(page.calls()));
            if (page.next() != null) {
                body.put("next", page.next());
            }
            return body;
        });
    }

    private void active(RoutingContext ctx) {
        List<CallSnapshot> active = calls.activeCalls();
        ObjectNode body = json.createObjectNode();
        body.set("calls", json.valueToTree(active));
        send(ctx, 200, body);
    }

    private void oneCall(RoutingContext ctx) {
        String callId = ctx.pathParam("callId");
        CallSnapshot live = calls.liveCall(callId);
        answer(ctx, archive.find(callId), record -> {
            if (record.isEmpty() && live == null) {
                throw new NotFound("no call " + callId);
            }
            ObjectNode body = json.createObjectNode().put("callId", callId);
            if (live != null) {
                body.set("live", json.valueToTree(live));
            }
            record.ifPresent(r -> body.set("record", json.valueToTree(r)));
            return body;
        });
    }

    private void hangup(RoutingContext ctx) {
        String callId = ctx.pathParam("callId");
        answer(ctx, calls.forceEnd(callId), outcome -> switch (outcome) {
            case ENDED -> json.createObjectNode().put("callId", callId).put("reason", EndReason.FORCED.wire());
            case ALREADY_ENDED -> throw new Conflict("call " + callId + " has already ended");
            case NOT_FOUND -> throw new NotFound("no call " + callId + " in progress");
        });
    }

    // ---- users and tokens --------------------------------------------------------------------

    private void presence(RoutingContext ctx) {
        String user = ctx.pathParam("user");
        List<ObjectNode> devices = new ArrayList<>();
        for (Session session : sessions.ofUser(user)) {
            devices.add(json.createObjectNode().put("session", session.id()).put("device", session.device())
                    .put("state", session.state().name().toLowerCase(java.util.Locale.ROOT)));
        }
        ObjectNode body = json.createObjectNode().put("user", user).put("presence", sessions.presence(user).name()
                .toLowerCase(java.util.Locale.ROOT));
        body.set("sessions", json.valueToTree(devices));
        body.set("calls", json.valueToTree(calls.callIdsOf(user)));
        send(ctx, 200, body);
    }

    private void mintToken(RoutingContext ctx) {
        JsonObject request;
        try {
            request = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            error(ctx, 400, "bad_request", "the body must be a JSON object");
            return;
        }
        if (request == null) {
            error(ctx, 400, "bad_request", "the body must be a JSON object such as {\"user\":\"alice\"}");
            return;
        }
        String user = request.getValue("user") instanceof String s ? s : null;
        if (user == null || user.isEmpty() || user.length() > Limits.MAX_USER_LENGTH
                || !user.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            error(ctx, 400, "bad_request", "user must be 1–" + Limits.MAX_USER_LENGTH + " visible characters");
            return;
        }
        Object ttlValue = request.getValue("ttlSeconds", 3600);
        if (!(ttlValue instanceof Number ttl) || ttl.longValue() < 1 || ttl.longValue() > MAX_TOKEN_TTL_SECONDS
                || ttl.doubleValue() != ttl.longValue()) {
            error(ctx, 400, "bad_request", "ttlSeconds must be a whole number from 1 to " + MAX_TOKEN_TTL_SECONDS);
            return;
        }
        List<String> rooms = null;
        if (request.containsKey("rooms")) {
            if (!(request.getValue("rooms") instanceof JsonArray array)
                    || !array.stream().allMatch(r -> r instanceof String s && !s.isEmpty())) {
                error(ctx, 400, "bad_request", "rooms must be a list of room names or prefixes ending in *");
                return;
            }
            rooms = array.stream().map(String.class::cast).toList();
        }
        Duration duration = Duration.ofSeconds(ttl.longValue());
        long expiresAt = System.currentTimeMillis() + duration.toMillis();
        String token = tokens.sign(user, duration, rooms);
        send(ctx, 201, json.createObjectNode().put("user", user).put("token", token).put("expiresAt", expiresAt));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Answers with the future's value turned into a body; the not-found/conflict/bad-cursor cases map to 4xx. */
    private <T> void answer(RoutingContext ctx, CompletableFuture<T> future, java.util.function.Function<T, ObjectNode> body) {
        // The future completes on a records or call thread; the response is written on the request's own.
        Context context = Vertx.currentContext();
        future.whenComplete((value, failure) -> context.runOnContext(v -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            try {
                if (cause != null) {
                    throw cause;
                }
                send(ctx, 200, body.apply(value));
            } catch (NotFound e) {
                error(ctx, 404, "not_found", e.getMessage());
            } catch (Conflict e) {
                error(ctx, 409, "already_ended", e.getMessage());
            } catch (IllegalArgumentException e) {
                error(ctx, 400, "bad_request", e.getMessage());
            } catch (Throwable e) {
                log.warn("admin {} {} failed: {}", ctx.request().method(), ctx.request().path(), e.toString());
                error(ctx, 503, "unavailable", "call records are unavailable right now; try again shortly");
            }
        }));
    }

    /** A query parameter; absent is null, but present and empty is a mistake worth saying. */
    private static String filter(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        if (value != null && value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty; leave it out to match any");
        }
        return value;
    }

    private static EndReason reason(String value) {
        return value == null ? null : EndReason.fromWire(value);
    }

    private static Long epochMs(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be epoch milliseconds");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 200) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new IllegalArgumentException("limit must be a number from 1 to 200");
    }

    private void send(RoutingContext ctx, int status, ObjectNode body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }

    private void error(RoutingContext ctx, int status, String code, String message) {
        send(ctx, status, json.createObjectNode().put("error", code).put("message", message));
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
