package dev.dialtone.cli.softphone;

/**
 * Terminal styling: ANSI colours when enabled, plain text otherwise. The softphone enables it only
 * on a terminal and when {@code NO_COLOR} is unset.
 */
public final class Style {
    /** No escape codes at all: for pipes, files, tests and {@code NO_COLOR}. */
    public static final Style PLAIN = new Style(false);
    /** ANSI colours. */
    public static final Style ANSI = new Style(true);

    private final boolean enabled;

    private Style(boolean enabled) {
        this.enabled = enabled;
    }

    public static Style of(boolean colour) {
        return colour ? ANSI : PLAIN;
    }

    public boolean enabled() {
        return enabled;
    }

    public String bold(String text) {
        return wrap("1", text);
    }

    public String dim(String text) {
        return wrap("2", text);
    }

    public String red(String text) {
        return wrap("31", text);
    }

    public String green(String text) {
        return wrap("32", text);
    }

    public String yellow(String text) {
        return wrap("33", text);
    }

    public String cyan(String text) {
        return wrap("36", text);
    }

    private String wrap(String code, String text) {
        return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
