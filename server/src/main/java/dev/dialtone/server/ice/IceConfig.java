package dev.dialtone.server.ice;

import dev.dialtone.protocol.IceServer;
import dev.dialtone.server.webhooks.SigningSecret;
import java.util.Arrays;
import java.util.List;

/**
 * The STUN and TURN servers handed to clients in the results of {@code auth} and {@code resume}.
 * Immutable; the constructor validates, the {@link #builder()} starts from "none".
 *
 * @param servers        fixed servers ({@code DIALTONE_ICE_SERVERS}), handed out as they are
 * @param turnSecret     the secret shared with the TURN server ({@code DIALTONE_TURN_SECRET}, coturn's
 *                       {@code static-auth-secret}); null: no per-session TURN credentials
 * @param turnUrls       the {@code turn:}/{@code turns:} URLs the per-session credentials are for
 *                       ({@code DIALTONE_TURN_URLS}); empty exactly when there is no secret
 * @param turnTtlSeconds how long a per-session credential stays valid ({@code DIALTONE_TURN_TTL_SECONDS})
 */
public record IceConfig(List<IceServer> servers, SigningSecret turnSecret, List<String> turnUrls,
                        long turnTtlSeconds) {
    public static final long DEFAULT_TURN_TTL_SECONDS = 86_400;
    public static final long MIN_TURN_TTL_SECONDS = 60;
    /** A week: a credential that lives longer is hardly "ephemeral" any more. */
    public static final long MAX_TURN_TTL_SECONDS = 604_800;

    /** Nothing configured: results carry no {@code iceServers}. */
    public static final IceConfig NONE = builder().build();

    public IceConfig {
        servers = IceServerList.check(servers == null ? List.of() : servers);
        turnUrls = turnUrls == null ? List.of() : List.copyOf(turnUrls);
        for (String url : turnUrls) {
            IceUrls.check(url, true, "DIALTONE_TURN_URLS");
        }
        if (turnSecret != null && turnUrls.isEmpty()) {
            throw new IllegalArgumentException("DIALTONE_TURN_URLS is required with DIALTONE_TURN_SECRET");
        }
        if (turnSecret == null && !turnUrls.isEmpty()) {
            throw new IllegalArgumentException("DIALTONE_TURN_SECRET is required with DIALTONE_TURN_URLS");
        }
        if (turnTtlSeconds < MIN_TURN_TTL_SECONDS || turnTtlSeconds > MAX_TURN_TTL_SECONDS) {
            throw new IllegalArgumentException("DIALTONE_TURN_TTL_SECONDS must be " + MIN_TURN_TTL_SECONDS + "–"
                    + MAX_TURN_TTL_SECONDS + ", not " + turnTtlSeconds);
        }
    }

    /** Whether results carry {@code iceServers} at all. */
    public boolean enabled() {
        return !servers.isEmpty() || turnSecret != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from "none"; {@link #build()} validates. */
    public static final class Builder {
        private List<IceServer> servers = List.of();
        private byte[] turnSecret;
        private List<String> turnUrls = List.of();
        private long turnTtlSeconds = DEFAULT_TURN_TTL_SECONDS;

        /** {@code DIALTONE_ICE_SERVERS}: a JSON array of {@code RTCIceServer} objects; null or blank for none. */
        public Builder servers(String json) {
            servers = IceServerList.parse(json);
            return this;
        }

        public Builder servers(List<IceServer> value) {
            servers = value;
            return this;
        }

        /** The TURN secret as text (UTF-8); null or empty means none. */
        public Builder turnSecret(String value) {
            turnSecret = SigningSecret.textBytes(value);
            return this;
        }

        /** {@code DIALTONE_TURN_URLS}: comma-separated {@code turn:}/{@code turns:} URLs; null or blank for none. */
        public Builder turnUrls(String commaSeparated) {
            turnUrls = commaSeparated == null || commaSeparated.isBlank() ? List.of()
                    : Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
            return this;
        }

        public Builder turnUrls(List<String> value) {
            turnUrls = value;
            return this;
        }

        public Builder turnTtlSeconds(long value) {
            turnTtlSeconds = value;
            return this;
        }

        public IceConfig build() {
            return new IceConfig(servers, SigningSecret.of(turnSecret, "DIALTONE_TURN_SECRET"), turnUrls,
                    turnTtlSeconds);
        }
    }
}
