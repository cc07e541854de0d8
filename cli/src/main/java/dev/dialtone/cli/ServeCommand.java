package dev.dialtone.cli;

import dev.dialtone.core.BusyPolicy;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.hooks.HookConfig;
import dev.dialtone.server.ice.IceConfig;
import dev.dialtone.server.records.RecordsConfig;
import dev.dialtone.server.webhooks.WebhookConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dialtone serve}: runs the server until interrupted. Every option has an environment
 * variable of the same meaning; a flag wins over the variable.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Dialtone server (embedded defaults: single node, port 8080).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:DIALTONE_HOST:-0.0.0.0}",
            description = "Address to listen on (DIALTONE_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:DIALTONE_PORT:-8080}",
            description = "Port for HTTP and WebSocket (DIALTONE_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--secret", defaultValue = "${env:DIALTONE_SECRET}",
            description = "HS256 key for client tokens, at least 32 bytes (DIALTONE_SECRET). "
                    + "Unset: development mode. Prefer the variable: flags show in the process list.")
    String secret;

    @Option(names = "--ring-timeout-ms", defaultValue = "${env:DIALTONE_RING_TIMEOUT_MS:-30000}",
            description = "Default ring timeout (DIALTONE_RING_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    long ringTimeoutMs;

    @Option(names = "--busy-policy", defaultValue = "${env:DIALTONE_BUSY_POLICY:-reject}",
            description = "reject or waiting: what an invite to a user in a call does "
                    + "(DIALTONE_BUSY_POLICY, default ${DEFAULT-VALUE}).")
    BusyPolicy busyPolicy;

    @Option(names = "--hold-allowed", defaultValue = "${env:DIALTONE_HOLD_ALLOWED:-true}", arity = "1",
            description = "Whether calls may be put on hold (DIALTONE_HOLD_ALLOWED, default ${DEFAULT-VALUE}).")
    boolean holdAllowed;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:DIALTONE_MAX_FRAME_BYTES:-65536}",
            description = "Largest accepted frame (DIALTONE_MAX_FRAME_BYTES, default ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--heartbeat-ms", defaultValue = "${env:DIALTONE_HEARTBEAT_MS:-15000}",
            description = "Client ping interval; two missed ones detach the session "
                    + "(DIALTONE_HEARTBEAT_MS, default ${DEFAULT-VALUE}).")
    long heartbeatMs;

    @Option(names = "--resume-window-ms", defaultValue = "${env:DIALTONE_RESUME_WINDOW_MS:-60000}",
            description = "How long a detached session waits for resume "
                    + "(DIALTONE_RESUME_WINDOW_MS, default ${DEFAULT-VALUE}).")
    long resumeWindowMs;

    @Option(names = "--replay-buffer", defaultValue = "${env:DIALTONE_REPLAY_BUFFER:-1024}",
            description = "Most unacknowledged events kept per session for resume; a detached session "
                    + "that overflows it is ended (DIALTONE_REPLAY_BUFFER, default ${DEFAULT-VALUE}).")
    int replayBuffer;

    @Option(names = "--max-invitees", defaultValue = "${env:DIALTONE_MAX_INVITEES:-16}",
            description = "Most users one call may invite, all invites together "
                    + "(DIALTONE_MAX_INVITEES, default ${DEFAULT-VALUE}).")
    int maxInvitees;

    @Option(names = "--room-capacity", defaultValue = "${env:DIALTONE_ROOM_CAPACITY:-50}",
            description = "Most participants of one conference room (DIALTONE_ROOM_CAPACITY, default ${DEFAULT-VALUE}).")
    int roomCapacity;

    @Option(names = "--room-empty-timeout-ms", defaultValue = "${env:DIALTONE_ROOM_EMPTY_TIMEOUT_MS:-30000}",
            description = "How long an empty room is kept before it closes "
                    + "(DIALTONE_ROOM_EMPTY_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    long roomEmptyTimeoutMs;

    @Option(names = "--data-dir", defaultValue = "${env:DIALTONE_DATA_DIR:-./data}",
            description = "Directory of the embedded H2 call records, used when no database URL is given "
                    + "(DIALTONE_DATA_DIR, default ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--db-url", defaultValue = "${env:DIALTONE_DB_URL}",
            description = "JDBC URL of the call records database, e.g. jdbc:postgresql://db:5432/dialtone "
                    + "(DIALTONE_DB_URL; unset: embedded H2 in the data directory).")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:DIALTONE_DB_USER}",
            description = "Database user (DIALTONE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:DIALTONE_DB_PASSWORD}",
            description = "Database password (DIALTONE_DB_PASSWORD). Prefer the variable: flags show in the process list.")
    String dbPassword;

    @Option(names = "--record-queue", defaultValue = "${env:DIALTONE_RECORD_QUEUE:-100000}",
            description = "Records waiting for the database at which new calls are refused "
                    + "(DIALTONE_RECORD_QUEUE, default ${DEFAULT-VALUE}).")
    int recordQueue;

    @Option(names = "--record-wait-ms", defaultValue = "${env:DIALTONE_RECORD_WAIT_MS:-2000}",
            description = "Longest call.ended waits for its record's commit (DIALTONE_RECORD_WAIT_MS, "
                    + "default ${DEFAULT-VALUE}).")
    long recordWaitMs;

    @Option(names = "--hook-url", defaultValue = "${env:DIALTONE_HOOK_URL}",
            description = "Business server asked before call.invite, call.invite_more and room.join (DIALTONE_HOOK_URL).")
    String hookUrl;

    @Option(names = "--hook-timeout-ms", defaultValue = "${env:DIALTONE_HOOK_TIMEOUT_MS:-2000}",
            description = "How long the hook may take (DIALTONE_HOOK_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    long hookTimeoutMs;

    @Option(names = "--hook-fail", defaultValue = "${env:DIALTONE_HOOK_FAIL:-closed}",
            description = "closed: refuse when the hook is down or slow; open: allow "
                    + "(DIALTONE_HOOK_FAIL, default ${DEFAULT-VALUE}).")
    String hookFail;

    @Option(names = "--hook-hold", defaultValue = "${env:DIALTONE_HOOK_HOLD:-false}", arity = "1",
            description = "Also ask the hook about call.hold (DIALTONE_HOOK_HOLD, default ${DEFAULT-VALUE}).")
    boolean hookHold;

    @Option(names = "--hook-secret", defaultValue = "${env:DIALTONE_HOOK_SECRET}",
            description = "Signs hook requests (Dialtone-Signature), at least 16 bytes (DIALTONE_HOOK_SECRET).")
    String hookSecret;

    @Option(names = "--webhook-url", defaultValue = "${env:DIALTONE_WEBHOOK_URL}",
            description = "Where call and room events are posted (DIALTONE_WEBHOOK_URL).")
    String webhookUrl;

    @Option(names = "--webhook-secret", defaultValue = "${env:DIALTONE_WEBHOOK_SECRET}",
            description = "Signs webhooks, at least 16 bytes; required with a webhook URL (DIALTONE_WEBHOOK_SECRET).")
    String webhookSecret;

    @Option(names = "--webhook-queue", defaultValue = "${env:DIALTONE_WEBHOOK_QUEUE:-10000}",
            description = "Most webhook events waiting for delivery; beyond, events are dropped and counted "
                    + "(DIALTONE_WEBHOOK_QUEUE, default ${DEFAULT-VALUE}).")
    int webhookQueue;

    @Option(names = "--webhook-max-attempts", defaultValue = "${env:DIALTONE_WEBHOOK_MAX_ATTEMPTS:-12}",
            description = "Delivery attempts of one webhook event before it is dropped "
                    + "(DIALTONE_WEBHOOK_MAX_ATTEMPTS, default ${DEFAULT-VALUE}).")
    int webhookMaxAttempts;

    @Option(names = "--ring-offline", defaultValue = "${env:DIALTONE_RING_OFFLINE:-false}", arity = "1",
            description = "Keep ringing invitees who have no session until the ring timeout, for push delivery "
                    + "(DIALTONE_RING_OFFLINE, default ${DEFAULT-VALUE}).")
    boolean ringOffline;

    @Option(names = "--admin-key", defaultValue = "${env:DIALTONE_ADMIN_KEY}",
            description = "Bearer key of the admin API at /api/v1, at least 16 characters; unset: the API is off "
                    + "(DIALTONE_ADMIN_KEY). Prefer the variable: flags show in the process list.")
    String adminKey;

    @Option(names = "--ice-servers", defaultValue = "${env:DIALTONE_ICE_SERVERS}",
            description = "STUN/TURN servers handed to clients after sign-in: a JSON array of RTCIceServer objects, "
                    + "e.g. [{\"urls\":\"stun:stun.example.com:3478\"}] (DIALTONE_ICE_SERVERS).")
    String iceServers;

    @Option(names = "--turn-secret", defaultValue = "${env:DIALTONE_TURN_SECRET}",
            description = "Secret shared with the TURN server (coturn static-auth-secret), at least 16 bytes: each "
                    + "session gets its own expiring TURN credentials (DIALTONE_TURN_SECRET). "
                    + "Prefer the variable: flags show in the process list.")
    String turnSecret;

    @Option(names = "--turn-urls", defaultValue = "${env:DIALTONE_TURN_URLS}",
            description = "Comma-separated turn:/turns: URLs the credentials are for; required with a TURN secret "
                    + "(DIALTONE_TURN_URLS).")
    String turnUrls;

    @Option(names = "--turn-ttl-seconds", defaultValue = "${env:DIALTONE_TURN_TTL_SECONDS:-86400}",
            description = "How long issued TURN credentials stay valid (DIALTONE_TURN_TTL_SECONDS, default ${DEFAULT-VALUE}).")
    long turnTtlSeconds;

    @Override
    public Integer call() throws InterruptedException {
        DialtoneServer server;
        try {
            server = DialtoneServer.start(config());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A wrong setting or an unreachable database: say so in one line, not with a stack trace.
            System.err.println("dialtone serve: " + e.getMessage());
            return 2;
        }
        waitForShutdown(server);
        return 0;
    }

    private ServerConfig config() {
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .secret(secret)
                .ringTimeoutMs(ringTimeoutMs)
                .busyPolicy(busyPolicy)
                .holdAllowed(holdAllowed)
                .maxFrameBytes(maxFrameBytes)
                .heartbeatMs(heartbeatMs)
                .resumeWindowMs(resumeWindowMs)
                .replayBufferLimit(replayBuffer)
                .maxInvitees(maxInvitees)
                .roomCapacity(roomCapacity)
                .roomEmptyTimeoutMs(roomEmptyTimeoutMs)
                .records(RecordsConfig.defaults().withDataDir(dataDir).withUrl(blankToNull(dbUrl))
                        .withCredentials(blankToNull(dbUser), blankToNull(dbPassword)).withQueueLimit(recordQueue))
                .recordWaitMs(recordWaitMs)
                .hook(HookConfig.builder().url(blankToNull(hookUrl)).timeoutMs(hookTimeoutMs)
                        .failOpen(failOpen(hookFail)).askOnHold(hookHold).secret(blankToNull(hookSecret)).build())
                .webhooks(WebhookConfig.builder().url(blankToNull(webhookUrl)).secret(blankToNull(webhookSecret))
                        .queueLimit(webhookQueue).maxAttempts(webhookMaxAttempts).build())
                .ringOffline(ringOffline)
                .adminKey(adminKey)
                .ice(IceConfig.builder().servers(blankToNull(iceServers)).turnSecret(blankToNull(turnSecret))
                        .turnUrls(blankToNull(turnUrls)).turnTtlSeconds(turnTtlSeconds).build())
                .build();
    }

    private void waitForShutdown(DialtoneServer server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dialtone-shutdown"));
        stopped.await();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean failOpen(String mode) {
        return switch (mode) {
            case "open" -> true;
            case "closed" -> false;
            default -> throw new IllegalArgumentException("DIALTONE_HOOK_FAIL must be open or closed, not " + mode);
        };
    }
}
