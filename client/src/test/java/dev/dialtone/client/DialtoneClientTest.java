package dev.dialtone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The builder validates at once; a client with nothing to connect to fails cleanly. */
class DialtoneClientTest {

    @Test
    void builderValidatesEachSettingAtOnce() {
        DialtoneClient.Builder builder = DialtoneClient.builder();
        assertThatThrownBy(() -> builder.uri(URI.create("http://localhost:8080/v1/ws")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://");
        assertThatThrownBy(() -> builder.uri(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.device("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.device("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.listener(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
        assertThatThrownBy(() -> builder.reconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.reconnectBackoff(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.resumeGiveUp(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.roomResumeGiveUp(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.roomResumeGiveUp(null)).isInstanceOf(NullPointerException.class);
        assertThat(builder.reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(20))
                .resumeGiveUp(Duration.ofSeconds(30)).roomResumeGiveUp(Duration.ofSeconds(90))).isSameAs(builder);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("uri");
        builder.uri(URI.create("ws://localhost:8080/v1/ws"));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tokenSupplier");
    }

    @Test
    void aRefusedConnectionFailsConnectWithAConnectionError() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again below: nothing listens there
        }
        List<String> states = new CopyOnWriteArrayList<>();
        DialtoneClient client = DialtoneClient.builder()
                .uri(URI.create("ws://127.0.0.1:" + port + "/v1/ws"))
                .tokenSupplier(() -> "unused")
                .listener(new DialtoneListener() {
                    @Override
                    public void onConnectionStateChanged(ConnectionState state) {
                        states.add(state + " on " + Thread.currentThread().getName());
                    }
                })
                .build();
        try {
            CompletableFuture<SessionInfo> connect = client.connect();
            assertThatThrownBy(() -> connect.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DialtoneException.class);
            DialtoneException e = DialtoneException.of(catchJoin(connect));
            assertThat(e.kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
            assertThat(e.code()).isNull();
            assertThat(client.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(client.session()).isEmpty();
            assertThat(client.calls()).isEmpty();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> states.size() == 2);
            assertThat(states).containsExactly("CONNECTING on dialtone-events", "DISCONNECTED on dialtone-events");
        } finally {
            client.close();
        }
        // A closed client still answers: the request fails at once, on the callback thread.
        DialtoneException closed = DialtoneException.of(catchJoin(client.invite(InviteOptions.to("bob"))));
        assertThat(closed.kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(closed.getMessage()).contains("closed");
    }

    private static Throwable catchJoin(CompletableFuture<?> future) {
        try {
            future.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e;
        }
    }
}
