package dev.dialtone.server.webhooks;

import java.util.Arrays;

/**
 * The HMAC key of the hook's or the webhooks' {@link Signature}, or of the TURN credentials
 * ({@code dev.dialtone.server.ice}): at least {@value Signature#MIN_SECRET_BYTES} bytes, kept as a
 * private copy, equal by content, and never printed, so the configurations that hold one can be
 * plain records.
 */
public final class SigningSecret {
    private final byte[] bytes;

    private SigningSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The secret of {@code bytes}, or null for none.
     *
     * @param name what the secret is called in the error, e.g. {@code DIALTONE_WEBHOOK_SECRET}
     */
    public static SigningSecret of(byte[] bytes, String name) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < Signature.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(name + " must be at least " + Signature.MIN_SECRET_BYTES + " bytes");
        }
        return new SigningSecret(bytes.clone());
    }

    /**
     * The bytes of a secret given as text (UTF-8, from an environment variable or a flag); null
     * for null or empty text, which every configuration reads as "no secret".
     */
    public static byte[] textBytes(String text) {
        return text == null || text.isEmpty() ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A copy of the key. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes of a possibly absent secret, for code that takes null as "unsigned". */
    public static byte[] bytesOf(SigningSecret secret) {
        return secret == null ? null : secret.bytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningSecret other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
