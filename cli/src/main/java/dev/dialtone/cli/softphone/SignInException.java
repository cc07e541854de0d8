package dev.dialtone.cli.softphone;

/** Signing in is not possible; the message says why in plain words, ready to show. */
public final class SignInException extends Exception {
    public SignInException(String message) {
        super(message);
    }

    public SignInException(String message, Throwable cause) {
        super(message, cause);
    }
}
