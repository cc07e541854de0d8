package dev.dialtone.client.internal;

import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory {@link Transport}: no socket. Each {@code open} returns a {@link TestLink} that
 * records what the client sends; the test plays the server by calling the listener.
 */
final class TestTransport implements Transport {
    final List<TestLink> links = new ArrayList<>();
    /** When set, the next open fails with it. */
    RuntimeException failNextOpen;
    /** How many of the next opens fail (connection refused). */
    int failOpens;
    /** Every call to open, failed ones included. */
    int opens;
    /** When set, open returns this (still incomplete) future instead of an open link. */
    CompletableFuture<Link> pendingOpen;

    @Override
    public synchronized CompletableFuture<Link> open(URI uri, Duration connectTimeout, Listener listener) {
        opens++;
        if (failOpens > 0) {
            failOpens--;
            return CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
        }
        if (failNextOpen != null) {
            RuntimeException error = failNextOpen;
            failNextOpen = null;
            return CompletableFuture.failedFuture(error);
        }
        TestLink link = new TestLink(listener);
        links.add(link);
        if (pendingOpen != null) {
            return pendingOpen;
        }
        return CompletableFuture.completedFuture(link);
    }

    TestLink link() {
        return links.get(links.size() - 1);
    }

    /** One connection: the frames the client sent, and how it ended. */
    static final class TestLink implements Link {
        final Listener listener;
        final List<String> sent = new ArrayList<>();
        Integer closedWith;
        boolean aborted;

        TestLink(Listener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized void send(String text) {
            sent.add(text);
        }

        @Override
        public synchronized void close(int code, String reason) {
            closedWith = code;
        }

        @Override
        public synchronized void abort() {
            aborted = true;
        }

        /** The sent frames, decoded with the protocol codec (so they are valid commands). */
        synchronized List<Command> commands() {
            List<Command> commands = new ArrayList<>();
            for (String text : sent) {
                try {
                    commands.add(WireCodec.get().decodeCommand(text));
                } catch (ProtocolException e) {
                    throw new AssertionError("the client sent an invalid frame: " + text, e);
                }
            }
            return commands;
        }

        <T extends Command> List<T> commands(Class<T> type) {
            return commands().stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends Command> T last(Class<T> type) {
            List<T> matching = commands(type);
            if (matching.isEmpty()) {
                throw new AssertionError("no " + type.getSimpleName() + " sent; sent: " + sent);
            }
            return matching.get(matching.size() - 1);
        }
    }
}
