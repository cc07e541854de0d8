package dev.dialtone.server;

import dev.dialtone.core.BusyPolicy;
import dev.dialtone.core.CallPolicy;
import dev.dialtone.protocol.Limits;
import dev.dialtone.server.hooks.HookConfig;
import dev.dialtone.server.ice.IceConfig;
import dev.dialtone.server.records.RecordsConfig;
import dev.dialtone.server.webhooks.WebhookConfig;
import java.nio.charset.StandardCharsets;

/**
 * Everything the server is configured with. Immutable; build with {@link #builder()}, which
 * validates each value as it is set.
 *
 * @param secret the HS256 key for client tokens; null means development mode (a random key is
 *               generated and {@code POST /dev/token} is offered on loopback)
 * @param records where call records are kept (embedded H2 in {@code ./data} by default)
 * @param hook the business server's pre-call hook (none by default)
 * @param webhooks where call and room events are posted (nowhere by default)
 * @param adminKey the bearer key of the admin API; null turns the API off
 * @param ringOffline keep ringing invitees who have no session, for push delivery (rule 3)
 * @param recordWaitMs longest a {@code call.ended} waits for its record's commit
 * @param ice the STUN/TURN servers handed to clients after {@code auth} and {@code resume} (none
 *            by default)
 */
public record ServerConfig(String host, int port, byte[] secret, long ringTimeoutMs, BusyPolicy busyPolicy,
                           boolean holdAllowed, int maxFrameBytes, long heartbeatMs, long resumeWindowMs,
                           long firstFrameTimeoutMs, int replayBufferLimit, long endedCallRetentionMs,
                           int maxBadFrames, int commandsPerSecond, int eventLoops, int maxInvitees,
                           int roomCapacity, long roomEmptyTimeoutMs, RecordsConfig records, HookConfig hook,
                           WebhookConfig webhooks, String adminKey, boolean ringOffline, long recordWaitMs,
                           IceConfig ice) {

    public static final int MIN_SECRET_BYTES = 32;

    public boolean devMode() {
        return secret == null;
    }

    public CallPolicy callPolicy() {
        return new CallPolicy(busyPolicy, holdAllowed, ringTimeoutMs, maxInvitees);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults are the documented ones (README, "Configuration"). */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private byte[] secret;
        private long ringTimeoutMs = 30_000;
        private BusyPolicy busyPolicy = BusyPolicy.REJECT;
        private boolean holdAllowed = true;
        private int maxFrameBytes = Limits.DEFAULT_MAX_FRAME_BYTES;
        private long heartbeatMs = 15_000;
        private long resumeWindowMs = 60_000;
        private long firstFrameTimeoutMs = 10_000;
        private int replayBufferLimit = 1_024;
        private long endedCallRetentionMs = 60_000;
        private int maxBadFrames = 10;
        private int commandsPerSecond = 100;
        private int eventLoops = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int maxInvitees = dev.dialtone.protocol.Limits.DEFAULT_MAX_INVITEES;
        private int roomCapacity = 50;
        private long roomEmptyTimeoutMs = 30_000;
        private RecordsConfig records = RecordsConfig.defaults();
        private HookConfig hook = HookConfig.DISABLED;
        private WebhookConfig webhooks = WebhookConfig.DISABLED;
        private String adminKey;
        private boolean ringOffline;
        private long recordWaitMs = 2_000;
        private IceConfig ice = IceConfig.NONE;

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            check(value >= 0 && value <= 65535, "port must be 0–65535");
            port = value;
            return this;
        }

        /** The token key as text (UTF-8, at least 32 bytes); null or empty selects development mode. */
        public Builder secret(String value) {
            if (value == null || value.isEmpty()) {
                secret = null;
                return this;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            check(bytes.length >= MIN_SECRET_BYTES, "DIALTONE_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
            secret = bytes;
            return this;
        }

        public Builder ringTimeoutMs(long value) {
            check(value >= Limits.MIN_RING_TIMEOUT_MS && value <= Limits.MAX_RING_TIMEOUT_MS,
                    "ring timeout must be " + Limits.MIN_RING_TIMEOUT_MS + "–" + Limits.MAX_RING_TIMEOUT_MS + " ms");
            ringTimeoutMs = value;
            return this;
        }

        public Builder busyPolicy(BusyPolicy value) {
            check(value != null, "busy policy is required");
            busyPolicy = value;
            return this;
        }

        public Builder holdAllowed(boolean value) {
            holdAllowed = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            check(value >= 1024, "max frame size must be at least 1024 bytes");
            maxFrameBytes = value;
            return this;
        }

        public Builder heartbeatMs(long value) {
            check(value >= 100, "heartbeat must be at least 100 ms");
            heartbeatMs = value;
            return this;
        }

        public Builder resumeWindowMs(long value) {
            check(value >= 0, "resume window must not be negative");
            resumeWindowMs = value;
            return this;
        }

        public Builder firstFrameTimeoutMs(long value) {
            check(value >= 100, "first-frame timeout must be at least 100 ms");
            firstFrameTimeoutMs = value;
            return this;
        }

        public Builder replayBufferLimit(int value) {
            check(value >= 16, "replay buffer must hold at least 16 events");
            replayBufferLimit = value;
            return this;
        }

        public Builder endedCallRetentionMs(long value) {
            check(value >= 0, "ended-call retention must not be negative");
            endedCallRetentionMs = value;
            return this;
        }

        public Builder maxBadFrames(int value) {
            check(value >= 1, "max bad frames must be at least 1");
            maxBadFrames = value;
            return this;
        }

        public Builder commandsPerSecond(int value) {
            check(value >= 1, "commands per second must be at least 1");
            commandsPerSecond = value;
            return this;
        }

        public Builder eventLoops(int value) {
            check(value >= 1, "event loops must be at least 1");
            eventLoops = value;
            return this;
        }

        /** Most users one call may invite, all invites together (group calls). */
        public Builder maxInvitees(int value) {
            check(value >= 1 && value <= 1000, "max invitees must be 1–1000");
            maxInvitees = value;
            return this;
        }

        /** Most participants of one room. */
        public Builder roomCapacity(int value) {
            check(value >= 2, "room capacity must be at least 2");
            roomCapacity = value;
            return this;
        }

        /** How long an empty room is kept before it closes. */
        public Builder roomEmptyTimeoutMs(long value) {
            check(value >= 0, "room empty timeout must not be negative");
            roomEmptyTimeoutMs = value;
            return this;
        }

        public Builder records(RecordsConfig value) {
            check(value != null, "records configuration is required");
            records = value;
            return this;
        }

        public Builder hook(HookConfig value) {
            check(value != null, "hook configuration is required (HookConfig.DISABLED for none)");
            hook = value;
            return this;
        }

        public Builder webhooks(WebhookConfig value) {
            check(value != null, "webhook configuration is required (WebhookConfig.DISABLED for none)");
            webhooks = value;
            return this;
        }

        /** The admin API's bearer key, at least 16 characters; null or empty turns the API off. */
        public Builder adminKey(String value) {
            check(value == null || value.isEmpty() || value.length() >= 16,
                    "DIALTONE_ADMIN_KEY must be at least 16 characters");
            adminKey = value == null || value.isEmpty() ? null : value;
            return this;
        }

        public Builder ringOffline(boolean value) {
            ringOffline = value;
            return this;
        }

        /** Longest a {@code call.ended} waits for its record's commit before it goes out anyway. */
        public Builder recordWaitMs(long value) {
            check(value >= 0 && value <= 60_000, "record wait must be 0–60000 ms");
            recordWaitMs = value;
            return this;
        }

        public Builder ice(IceConfig value) {
            check(value != null, "ICE configuration is required (IceConfig.NONE for none)");
            ice = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, secret, ringTimeoutMs, busyPolicy, holdAllowed, maxFrameBytes,
                    heartbeatMs, resumeWindowMs, firstFrameTimeoutMs, replayBufferLimit, endedCallRetentionMs,
                    maxBadFrames, commandsPerSecond, eventLoops, maxInvitees, roomCapacity, roomEmptyTimeoutMs,
                    records, hook, webhooks, adminKey, ringOffline, recordWaitMs, ice);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
