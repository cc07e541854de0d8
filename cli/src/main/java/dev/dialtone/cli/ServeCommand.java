package dev.dialtone.cli;

import dev.dialtone.core.BusyPolicy;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
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

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = ServerConfig.builder()
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
                .build();
        DialtoneServer server = DialtoneServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dialtone-shutdown"));
        stopped.await();
        return 0;
    }
}
