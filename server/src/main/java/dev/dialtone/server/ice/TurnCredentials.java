package dev.dialtone.server.ice;

import dev.dialtone.protocol.IceServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues short-lived TURN credentials in the "TURN REST API" scheme
 * (draft-uberti-behave-turn-rest), which coturn checks with {@code use-auth-secret} and
 * {@code static-auth-secret}:
 *
 * <pre>
 * username   = "&lt;expiry, Unix seconds&gt;:&lt;user id&gt;"
 * credential = Base64(HMAC-SHA1(secret, username))
 * </pre>
 *
 * The TURN server recomputes the credential from the user name, so nothing is shared per user and
 * a leaked credential stops working at its expiry. Immutable and thread-safe (a {@link Mac} is
 * made per call: they are not thread-safe, and making one costs microseconds).
 */
final class TurnCredentials {
    private static final String ALGORITHM = "HmacSHA1";

    private final SecretKeySpec key;
    private final List<String> urls;
    private final long ttlSeconds;

    TurnCredentials(byte[] secret, List<String> urls, long ttlSeconds) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.urls = List.copyOf(urls);
        this.ttlSeconds = ttlSeconds;
    }

    /** The TURN server entry for {@code user}, valid until {@code nowMillis} plus the TTL. */
    IceServer issue(String user, long nowMillis) {
        String username = (nowMillis / 1000 + ttlSeconds) + ":" + user;
        return new IceServer(urls, username, credential(username));
    }

    private String credential(String username) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA1.
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }
}
