package dev.dialtone.server.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where and how event webhooks are delivered. Immutable; the constructor validates, the
 * {@link #builder()} starts from the defaults.
 *
 * @param url              where to POST events; null (or blank) turns webhooks off
 * @param secret           signs every delivery; required with a URL, at least 16 bytes
 * @param queueLimit       events waiting in total, over all lanes, before new ones are dropped
 *                         (default 10 000)
 * @param maxAttempts      deliveries tried per event before it is dropped (default 12)
 * @param initialBackoffMs wait before the first retry, doubled each retry (default 200)
 * @param maxBackoffMs     cap on the wait between retries (default 60 000)
 * @param lanes            independent sequential delivery lanes (default 4)
 * @param timeoutMs        deadline of one delivery attempt (default 5 000)
 */
public record WebhookConfig(String url, byte[] secret, int queueLimit, int maxAttempts, long initialBackoffMs,
                            long maxBackoffMs, int lanes, long timeoutMs) {
    public static final int DEFAULT_QUEUE_LIMIT = 10_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 12;
    public static final long DEFAULT_INITIAL_BACKOFF_MS = 200;
    public static final long DEFAULT_MAX_BACKOFF_MS = 60_000;
    public static final int DEFAULT_LANES = 4;
    public static final long DEFAULT_TIMEOUT_MS = 5_000;

    /** Webhooks off. */
    public static final WebhookConfig DISABLED = builder().build();

    public WebhookConfig {
        url = url == null || url.isBlank() ? null : url.trim();
        if (url != null) {
            checkUrl(url);
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException("DIALTONE_WEBHOOK_SECRET is required with DIALTONE_WEBHOOK_URL");
            }
        }
        if (secret != null) {
            if (secret.length < Signature.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("DIALTONE_WEBHOOK_SECRET must be at least "
                        + Signature.MIN_SECRET_BYTES + " bytes");
            }
            secret = secret.clone();
        }
        check(queueLimit >= 1 && queueLimit <= 10_000_000, "the webhook queue limit must be 1–10000000, not " + queueLimit);
        check(maxAttempts >= 1 && maxAttempts <= 100, "webhook max attempts must be 1–100, not " + maxAttempts);
        check(initialBackoffMs >= 1 && initialBackoffMs <= 3_600_000,
                "the initial webhook backoff must be 1–3600000 ms, not " + initialBackoffMs);
        check(maxBackoffMs >= initialBackoffMs && maxBackoffMs <= 3_600_000,
                "the maximum webhook backoff must be between the initial backoff and 3600000 ms, not " + maxBackoffMs);
        check(lanes >= 1 && lanes <= 256, "webhook lanes must be 1–256, not " + lanes);
        check(timeoutMs >= 100 && timeoutMs <= 60_000, "the webhook timeout must be 100–60000 ms, not " + timeoutMs);
    }

    public boolean enabled() {
        return url != null;
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookConfig other && Objects.equals(url, other.url) && Arrays.equals(secret, other.secret)
                && queueLimit == other.queueLimit && maxAttempts == other.maxAttempts
                && initialBackoffMs == other.initialBackoffMs && maxBackoffMs == other.maxBackoffMs
                && lanes == other.lanes && timeoutMs == other.timeoutMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, Arrays.hashCode(secret), queueLimit, maxAttempts, initialBackoffMs, maxBackoffMs,
                lanes, timeoutMs);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "WebhookConfig[url=" + url + ", queueLimit=" + queueLimit + ", maxAttempts=" + maxAttempts
                + ", initialBackoffMs=" + initialBackoffMs + ", maxBackoffMs=" + maxBackoffMs + ", lanes=" + lanes
                + ", timeoutMs=" + timeoutMs + "]";
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("DIALTONE_WEBHOOK_URL is not a URL: " + url);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("DIALTONE_WEBHOOK_URL must be an absolute http:// or https:// URL, not " + url);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private String url;
        private byte[] secret;
        private int queueLimit = DEFAULT_QUEUE_LIMIT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private long initialBackoffMs = DEFAULT_INITIAL_BACKOFF_MS;
        private long maxBackoffMs = DEFAULT_MAX_BACKOFF_MS;
        private int lanes = DEFAULT_LANES;
        private long timeoutMs = DEFAULT_TIMEOUT_MS;

        public Builder url(String value) {
            url = value;
            return this;
        }

        public Builder secret(byte[] value) {
            secret = value;
            return this;
        }

        /** The secret as text (UTF-8); null or empty means none. */
        public Builder secret(String value) {
            secret = value == null || value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder queueLimit(int value) {
            queueLimit = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder initialBackoffMs(long value) {
            initialBackoffMs = value;
            return this;
        }

        public Builder maxBackoffMs(long value) {
            maxBackoffMs = value;
            return this;
        }

        public Builder lanes(int value) {
            lanes = value;
            return this;
        }

        public Builder timeoutMs(long value) {
            timeoutMs = value;
            return this;
        }

        public WebhookConfig build() {
            return new WebhookConfig(url, secret, queueLimit, maxAttempts, initialBackoffMs, maxBackoffMs, lanes, timeoutMs);
        }
    }
}
