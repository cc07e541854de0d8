package dev.dialtone.server.webhooks;


/**
 * Where and how event webhooks are delivered. Immutable; the constructor validates, the
 * {@link #builder()} starts from the defaults.
 *
 * @param url              where to POST events; null (or blank) turns webhooks off
 * @param signing          signs every delivery; required with a URL
 * @param queueLimit       events waiting in total, over all lanes, before new ones are dropped
 *                         (default 10 000)
 * @param maxAttempts      deliveries tried per event before it is dropped (default 12)
 * @param initialBackoffMs wait before the first retry, doubled each retry (default 200)
 * @param maxBackoffMs     cap on the wait between retries (default 60 000)
 * @param lanes            independent sequential delivery lanes (default 4)
 * @param timeoutMs        deadline of one delivery attempt (default 5 000)
 */
public record WebhookConfig(String url, SigningSecret signing, int queueLimit, int maxAttempts, long initialBackoffMs,
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
            SignedPost.checkUrl(url, "DIALTONE_WEBHOOK_URL");
            if (signing == null) {
                throw new IllegalArgumentException("DIALTONE_WEBHOOK_SECRET is required with DIALTONE_WEBHOOK_URL");
            }
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

    /** A copy of the signing key, or null when there is none. */
    public byte[] secret() {
        return SigningSecret.bytesOf(signing);
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
            secret = SigningSecret.textBytes(value);
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
            // An empty secret counts as missing, so that the URL check names what is wrong.
            SigningSecret signing = secret == null || secret.length == 0 ? null
                    : SigningSecret.of(secret, "DIALTONE_WEBHOOK_SECRET");
            return new WebhookConfig(url, signing, queueLimit, maxAttempts, initialBackoffMs, maxBackoffMs, lanes,
                    timeoutMs);
        }
    }
}
