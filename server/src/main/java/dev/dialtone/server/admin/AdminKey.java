package dev.dialtone.server.admin;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's bearer key. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so neither the content nor the length of the configured key
 * leaks through response timing.
 */
final class AdminKey {
    static final int MIN_LENGTH = 16;
    private final byte[] digest;

    AdminKey(String key) {
        if (key.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("DIALTONE_ADMIN_KEY must be at least " + MIN_LENGTH + " characters");
        }
        this.digest = sha256(key);
    }

    /** Whether the request carries {@code Authorization: Bearer <the key>}. */
    boolean admits(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(header.substring(7).trim()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
