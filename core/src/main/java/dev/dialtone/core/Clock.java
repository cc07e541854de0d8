package dev.dialtone.core;

/** Where the server reads time. The engine never reads a clock: it is handed {@code now}. */
@FunctionalInterface
public interface Clock {
    long nowMillis();

    static Clock system() {
        return System::currentTimeMillis;
    }
}
