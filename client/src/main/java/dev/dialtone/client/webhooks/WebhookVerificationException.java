package dev.dialtone.client.webhooks;

import java.util.Objects;

/**
 * A webhook request whose {@code Dialtone-Signature} does not prove that Dialtone sent it, now.
 * Answer such a request with {@code 400} and do not act on its body. {@link #reason()} says what is
 * wrong, for logs and metrics; the message says the same in words.
 */
public final class WebhookVerificationException extends Exception {

    /** What is wrong with a request's signature. */
    public enum Reason {
        /** The request has no {@code Dialtone-Signature} header, or it is empty. */
        MISSING_HEADER,
        /** The header is not {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…]}. */
        MALFORMED_HEADER,
        /**
         * The signature is right but its timestamp is further from now than the tolerance: a
         * replayed request, or a clock that is badly off on one side.
         */
        TIMESTAMP_OUTSIDE_TOLERANCE,
        /** No {@code v1} entry matches: another secret signed it, or the body was changed. */
        SIGNATURE_MISMATCH
    }

    private final Reason reason;

    WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What is wrong. */
    public Reason reason() {
        return reason;
    }
}
