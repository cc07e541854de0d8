package dev.dialtone.server.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page ended: the sort key {@code (createdAt, callId)} of its last record. On the wire it
 * is opaque, base64url of {@code "createdAt:callId"}; it names no user, so a cursor handed to
 * someone else reveals nothing and selects nothing beyond their own calls.
 */
record Cursor(long createdAt, String callId) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + ":" + callId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor this class made */
    static Cursor decode(String text) {
        String plain;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            plain = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw malformed();
        }
        int colon = plain.indexOf(':');
        int digits = plain.startsWith("-") ? 1 : 0;
        if (colon <= digits || colon == plain.length() - 1 || colon > 20) {
            throw malformed();
        }
        for (int i = digits; i < colon; i++) {
            if (plain.charAt(i) < '0' || plain.charAt(i) > '9') {
                throw malformed();
            }
        }
        try {
            return new Cursor(Long.parseLong(plain, 0, colon, 10), plain.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    private static IllegalArgumentException malformed() {
        return new IllegalArgumentException("malformed cursor: pass the 'next' of a previous page");
    }
}
