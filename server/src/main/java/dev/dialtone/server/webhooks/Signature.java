package dev.dialtone.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs outgoing requests (event webhooks, pre-call hook) so the business server can prove they
 * came from Dialtone and are recent. The scheme is the one the SDK's {@code WebhookVerifier}
 * checks:
 *
 * <pre>
 * Dialtone-Signature: t=1718000000,v1=fe55b3699c5e…
 *   t  = signing time, Unix seconds
 *   v1 = lowercase hex of HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body bytes&gt;")
 * </pre>
 *
 * The timestamp is inside the MAC so a captured request cannot be replayed later with a fresh
 * {@code t}. Immutable and thread-safe (a {@link Mac} is made per call: they are not thread-safe,
 * and making one costs microseconds).
 */
public final class Signature {
    public static final String HEADER = "Dialtone-Signature";
    /** Shorter secrets are too easy to guess offline from one signed request. */
    public static final int MIN_SECRET_BYTES = 16;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param secret at least {@link #MIN_SECRET_BYTES} bytes; copied */
    public Signature(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a signing secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** The {@code Dialtone-Signature} value for {@code body} signed at {@code unixSeconds}. */
    public String header(long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + v1(unixSeconds, body);
    }

    /** The hex HMAC alone, for a {@code v1=} entry. */
    public String v1(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
