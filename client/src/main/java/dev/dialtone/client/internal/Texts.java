package dev.dialtone.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/** Text for log lines, error messages and close frames. */
final class Texts {

    private Texts() {
    }

    /** The failure behind {@link CompletionException} wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** {@code ConnectException: connection refused}. */
    static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A WebSocket close reason: at most 123 bytes of UTF-8. */
    static String closeReason(String reason) {
        String text = reason == null ? "" : reason;
        while (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** Frames quoted in log lines. */
    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
