package dev.dialtone.server.hooks;

import dev.dialtone.server.webhooks.SignedPost;
import dev.dialtone.server.webhooks.SigningSecret;

/**
 * How the pre-call hook asks the business server. Immutable; the constructor validates, the
 * {@link #builder()} starts from the defaults.
 *
 * @param url       where to POST; null (or blank) means no hook: every call is allowed
 * @param timeoutMs deadline for the whole exchange, 100–60000 ms (default 2000)
 * @param failOpen  when the hook cannot be reached or answers nonsense: true allows the call,
 *                  false (default) denies it
 * @param askOnHold whether {@code call.hold} is also asked (default false: only invites and joins)
 * @param signing   signs each request with {@code Dialtone-Signature} when not null; null sends
 *                  unsigned requests
 */
public record HookConfig(String url, long timeoutMs, boolean failOpen, boolean askOnHold, SigningSecret signing) {
    public static final long DEFAULT_TIMEOUT_MS = 2_000;
    public static final long MIN_TIMEOUT_MS = 100;
    public static final long MAX_TIMEOUT_MS = 60_000;

    /** No hook. */
    public static final HookConfig DISABLED = builder().build();

    public HookConfig {
        url = url == null || url.isBlank() ? null : url.trim();
        if (url != null) {
            SignedPost.checkUrl(url, "the hook URL");
        }
        if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("the hook timeout must be " + MIN_TIMEOUT_MS + "–" + MAX_TIMEOUT_MS
                    + " ms, not " + timeoutMs);
        }
    }

    public boolean enabled() {
        return url != null;
    }

    /** A copy of the signing key, or null when requests go unsigned. */
    public byte[] secret() {
        return SigningSecret.bytesOf(signing);
    }

    /** Says whether requests are signed, never with what. */
    @Override
    public String toString() {
        return "HookConfig[url=" + url + ", timeoutMs=" + timeoutMs + ", failOpen=" + failOpen
                + ", askOnHold=" + askOnHold + ", signed=" + (signing != null) + "]";
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
            secret = SigningSecret.textBytes(value);
            return this;
        }

        public HookConfig build() {
            return new HookConfig(url, timeoutMs, failOpen, askOnHold, SigningSecret.of(secret, "the hook secret"));
        }
    }
}
