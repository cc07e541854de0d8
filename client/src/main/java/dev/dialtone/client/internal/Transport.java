package dev.dialtone.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The connection abstraction: opens a text-frame connection to the server and reports what
 * arrives. {@link JdkWebSocketTransport} is the default; another transport (OkHttp on Android,
 * an in-memory one in tests) implements the same three small interfaces. Each call to
 * {@link #open} is a new connection with its own listener, which is how a reconnect (resume) is
 * told apart from the connection it replaces.
 */
public interface Transport {

    /**
     * Opens a connection. The future completes when the socket is open (after which the listener
     * may be called), or fails with the reason it could not be opened.
     */
    CompletableFuture<Link> open(URI uri, Duration connectTimeout, Listener listener);

    /** An open connection. Methods may be called from any thread; sends keep their order. */
    interface Link {
        /** Queues one complete text frame. Failures surface as {@link Listener#onFailure}. */
        void send(String text);

        /** Starts a clean close with this WebSocket close code; the socket is aborted if the peer does not answer. */
        void close(int code, String reason);

        /** Drops the connection at once. */
        void abort();
    }

    /** What a connection reports. Calls for one connection come one at a time, in order. */
    interface Listener {
        /** One complete text frame (parts already joined). */
        void onText(String text);

        /** The peer closed the connection with a close frame. */
        void onClosed(int code, String reason);

        /** The connection broke without a close frame (network error, reset). */
        void onFailure(Throwable error);
    }
}
