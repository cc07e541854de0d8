package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The JDK listener adapter: joins parts and asks for one message at a time. No network. */
class JdkWebSocketTransportTest {

    /** Counts request(n) calls; everything else is unused by the listener. */
    private static final class CountingSocket implements WebSocket {
        long requested;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
        }
    }

    private static final class Collected implements Transport.Listener {
        final List<String> texts = new ArrayList<>();
        final List<String> ends = new ArrayList<>();

        @Override
        public void onText(String text) {
            texts.add(text);
        }

        @Override
        public void onClosed(int code, String reason) {
            ends.add(code + " " + reason);
        }

        @Override
        public void onFailure(Throwable error) {
            ends.add("failure " + error.getMessage());
        }
    }

    @Test
    void joinsTextPartsAndRequestsOneMessageAtATime() {
        CountingSocket socket = new CountingSocket();
        Collected collected = new Collected();
        JdkWebSocketTransport.FrameListener listener = new JdkWebSocketTransport.FrameListener(collected);

        listener.onOpen(socket);
        assertThat(socket.requested).isEqualTo(1);
        listener.onText(socket, "{\"type\":\"ok\",", false);
        listener.onText(socket, "\"re\":\"1\"", false);
        assertThat(collected.texts).isEmpty();
        listener.onText(socket, "}", true);
        listener.onText(socket, "{\"type\":\"ok\",\"re\":\"2\"}", true);
        listener.onPing(socket, ByteBuffer.allocate(0));

        assertThat(collected.texts).containsExactly("{\"type\":\"ok\",\"re\":\"1\"}", "{\"type\":\"ok\",\"re\":\"2\"}");
        assertThat(socket.requested).isEqualTo(6);

        listener.onClose(socket, 4409, "replaced");
        listener.onError(socket, new java.io.IOException("reset"));
        assertThat(collected.ends).containsExactly("4409 replaced", "failure reset");
    }
}
