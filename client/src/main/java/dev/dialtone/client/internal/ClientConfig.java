package dev.dialtone.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The settings of one client, validated by {@code DialtoneClient.Builder}.
 *
 * @param device the device name sent in {@code auth}, or null to let the server pick one
 * @param reconnectInitial the range of the first backoff wait between resume attempts (doubled
 *     after each failed attempt, full jitter)
 * @param reconnectMax the largest backoff range
 * @param resumeGiveUp how long to try to resume after the connection is lost, or null for the
 *     server's resume window (from the {@code auth} result)
 * @param roomResumeGiveUp how long a conference resume (a new sign-in and the re-join of the rooms,
 *     after the session could not be resumed) may take
 */
public record ClientConfig(URI uri, Supplier<String> tokenSupplier, String device, Duration requestTimeout,
                           Duration connectTimeout, Duration reconnectInitial, Duration reconnectMax,
                           Duration resumeGiveUp, Duration roomResumeGiveUp) {
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ROOM_RESUME_GIVE_UP = Duration.ofSeconds(60);

    public ClientConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(tokenSupplier, "tokenSupplier");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectInitial, "reconnectInitial");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        if (reconnectMax.compareTo(reconnectInitial) < 0) {
            throw new IllegalArgumentException("reconnectMax must not be less than reconnectInitial");
        }
        Objects.requireNonNull(roomResumeGiveUp, "roomResumeGiveUp");
    }

    /** The default conference-resume give-up time (60 s). */
    public ClientConfig(URI uri, Supplier<String> tokenSupplier, String device, Duration requestTimeout,
                        Duration connectTimeout, Duration reconnectInitial, Duration reconnectMax,
                        Duration resumeGiveUp) {
        this(uri, tokenSupplier, device, requestTimeout, connectTimeout, reconnectInitial, reconnectMax, resumeGiveUp,
                DEFAULT_ROOM_RESUME_GIVE_UP);
    }

    /** Default reconnect backoff (100 ms → 5 s) and give-up times (the server's resume window; 60 s). */
    public ClientConfig(URI uri, Supplier<String> tokenSupplier, String device, Duration requestTimeout,
                        Duration connectTimeout) {
        this(uri, tokenSupplier, device, requestTimeout, connectTimeout, DEFAULT_RECONNECT_INITIAL,
                DEFAULT_RECONNECT_MAX, null, DEFAULT_ROOM_RESUME_GIVE_UP);
    }
}
