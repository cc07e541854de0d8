package dev.dialtone.server.hooks;

import dev.dialtone.server.webhooks.Signature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * How the pre-call hook asks the business server. Immutable; the constructor validates, the
 * {@link #builder()} starts from the defaults.
 *
 * @param url       where to POST; null (or blank) means no hook: every call is allowed
 * @param timeoutMs deadline for the whole exchange, 100–60000 ms (default 2000)
 * @param failOpen  when the hook cannot be reached or answers nonsense: true allows the call,
 *                  false (default) denies it
 * @param askOnHold whether {@code call.hold} is also asked (default false: only invites and joins)
 * @param secret    signs each request with {@code Dialtone-Signature} when not null (at least 16
 *                  bytes); null sends unsigned requests
 */
public record HookConfig(String url, long timeoutMs, boolean failOpen, boolean askOnHold, byte[] secret) {
    public static final long DEFAULT_TIMEOUT_MS = 2_000;
    public static final long MIN_TIMEOUT_MS = 100;
    public static final long MAX_TIMEOUT_MS = 60_000;

    /** No hook. */
    public static final HookConfig DISABLED = builder().build();

    public HookConfig {
        url = url == null || url.isBlank() ? null : url.trim();
        if (url != null) {
            checkUrl(url);
        }
        if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("the hook timeout must be " + MIN_TIMEOUT_MS + "–" + MAX_TIMEOUT_MS
                    + " ms, not " + timeoutMs);
        }
        if (secret != null) {
            if (secret.length < Signature.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the hook secret must be at least " + Signature.MIN_SECRET_BYTES + " bytes");
            }
            secret = secret.clone();
        }
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
        return o instanceof HookConfig other && Objects.equals(url, other.url) && timeoutMs == other.timeoutMs
                && failOpen == other.failOpen && askOnHold == other.askOnHold && Arrays.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, timeoutMs, failOpen, askOnHold, Arrays.hashCode(secret));
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "HookConfig[url=" + url + ", timeoutMs=" + timeoutMs + ", failOpen=" + failOpen
                + ", askOnHold=" + askOnHold + ", signed=" + (secret != null) + "]";
    }

    static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the hook URL is not a URL: " + url);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("the hook URL must be an absolute http:// or https:// URL, not " + url);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private String url;
        private long timeoutMs = DEFAULT_TIMEOUT_MS;
        private boolean failOpen;
        private boolean askOnHold;
        private byte[] secret;

        public Builder url(String value) {
            url = value;
            return this;
        }

        public Builder timeoutMs(long value) {
            timeoutMs = value;
            return this;
        }

        public Builder failOpen(boolean value) {
            failOpen = value;
            return this;
        }

        public Builder askOnHold(boolean value) {
            askOnHold = value;
            return this;
        }

        public Builder secret(byte[] value) {
            secret = value;
            return this;
        }

        /** The secret as text (UTF-8); null or empty means unsigned. */
        public Builder secret(String value) {
            secret = value == null || value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public HookConfig build() {
            return new HookConfig(url, timeoutMs, failOpen, askOnHold, secret);
        }
    }
}
