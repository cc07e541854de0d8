package dev.dialtone.client.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@link Transport} on the JDK's {@code java.net.http.WebSocket}: no dependency beyond the JDK.
 * Joins text frames that arrive in parts, asks for one message at a time ({@code request(1)}),
 * and chains sends, because the JDK refuses a send while the previous one is still in progress.
 */
public final class JdkWebSocketTransport implements Transport {
    private static final System.Logger log = System.getLogger(JdkWebSocketTransport.class.getName());
    /** How long a clean close may wait for the server's close frame before the socket is aborted. */
    private static final long CLOSE_GRACE_MS = 5_000;

    private final HttpClient http;

    public JdkWebSocketTransport() {
        this(HttpClient.newHttpClient());
    }

    public JdkWebSocketTransport(HttpClient http) {
        this.http = http;
    }

    @Override
    public CompletableFuture<Link> open(URI uri, Duration connectTimeout, Listener listener) {
        return http.newWebSocketBuilder()
                .connectTimeout(connectTimeout)
                .buildAsync(uri, new FrameListener(listener))
                .thenApply(socket -> new JdkLink(socket, listener));
    }

    /** Adapts the JDK's listener: joins parts, requests the next message, reports closes and failures. */
    static final class FrameListener implements WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder partial = new StringBuilder();

        FrameListener(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                listener.onText(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            log.log(Level.DEBUG, "ignoring a binary frame; the protocol uses text frames");
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            // The JDK answers with a pong by itself.
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            listener.onClosed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            listener.onFailure(error);
        }
    }

    /** An open JDK WebSocket; sends are chained so that at most one is in progress. */
    static final class JdkLink implements Link {
        private final WebSocket socket;
        private final Listener listener;
        private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

        JdkLink(WebSocket socket, Listener listener) {
            this.socket = socket;
            this.listener = listener;
        }

        @Override
        public synchronized void send(String text) {
            tail = tail.handle((ignored, error) -> null)
                    .thenCompose(ignored -> socket.sendText(text, true))
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            // A write that fails means the connection is gone, even when the socket
                            // never reported the peer's close: say so now rather than after the
                            // heartbeat's silence.
                            log.log(Level.DEBUG, "send failed: {0}", error.toString());
                            socket.abort();
                            listener.onFailure(error);
                        }
                    });
        }

        @Override
        public synchronized void close(int code, String reason) {
            tail = tail.handle((ignored, error) -> null)
                    .thenCompose(ignored -> socket.sendClose(code, reason))
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            socket.abort();
                        }
                    });
            CompletableFuture.delayedExecutor(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS).execute(() -> {
                if (!socket.isInputClosed()) {
                    socket.abort();
                }
            });
        }

        @Override
        public void abort() {
            socket.abort();
        }
    }
}
