package dev.dialtone.cli.softphone;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A softphone driven like a person at a terminal: lines typed into a pipe, output collected, and
 * {@link #expect(String)} waiting (with Awaitility, never sleeping) for a piece of text to appear
 * after the previous one.
 */
final class Terminal implements AutoCloseable {
    /** The SDK logs its connection life at INFO through java.util.logging; the softphone says it all itself. */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("dev.dialtone.client");

    static {
        SDK_LOG.setLevel(java.util.logging.Level.parse(System.getProperty("softphone.sdklog", "WARNING")));
    }

    private final String name;
    private final PipedWriter keys = new PipedWriter();
    private final StringBuffer screen = new StringBuffer();
    private final Softphone phone;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private int cursor;

    private Terminal(String name, Softphone.Options options) throws IOException {
        this.name = name;
        PipedReader input = new PipedReader(keys, 4096);
        Writer output = new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) {
                screen.append(chars, offset, length);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        this.phone = new Softphone(options, input, new PrintWriter(output, true));
        Thread thread = new Thread(() -> {
            try {
                exit.complete(phone.run());
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "terminal-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    static Terminal start(String name, Softphone.Options options) {
        try {
            return new Terminal(name, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Types a line and presses Enter. */
    Terminal type(String line) {
        try {
            keys.write(line + "\n");
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Ctrl-D. */
    void endInput() {
        try {
            keys.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code text} appears after what the previous expect matched, and returns the whole
     * line it is on.
     */
    String expect(String text) {
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> screen.indexOf(text, cursor) >= 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not show \"" + text + "\" after what was already matched; "
                    + "screen:\n" + screen + "\n(matched up to offset " + cursor + ")", e);
        }
        int at = screen.indexOf(text, cursor);
        int start = at == 0 ? 0 : screen.lastIndexOf("\n", at - 1) + 1;
        int end = screen.indexOf("\n", at + Math.max(0, text.length() - 1));
        cursor = at + text.length();
        return screen.substring(start, end < 0 ? screen.length() : end);
    }

    /** Everything shown so far. */
    String screen() {
        return screen.toString();
    }

    /** What shows after the last expected text. */
    String rest() {
        return screen.substring(Math.min(cursor, screen.length()));
    }

    /** Waits for the softphone to end and returns its exit code. */
    int exitCode() {
        try {
            await().atMost(Duration.ofSeconds(15)).until(exit::isDone);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not exit; screen:\n" + screen, e);
        }
        return exit.join();
    }

    @Override
    public String toString() {
        return name;
    }

    Softphone phone() {
        return phone;
    }

    @Override
    public void close() {
        phone.close();
        try {
            keys.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
