package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands sent right behind {@code auth}, before its reply (which waits for the user's missed-call
 * count): they are held and carried out once the session is open, in order, after the reply.
 */
class AuthPipelineWireTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String auth(String user) {
        return "{\"type\":\"auth\",\"id\":\"a\",\"device\":\"d\",\"token\":\""
                + server.tokens().sign(user, Duration.ofMinutes(5)) + "\"}";
    }

    @Test
    void commandsRightBehindAuthAreAnsweredAfterItInOrder() {
        try (RawClient client = RawClient.connect(server.port())) {
            client.sendText(auth("pipelined"));
            client.sendText("{\"type\":\"ping\",\"id\":\"p\"}");
            client.sendText("{\"type\":\"calls.list\",\"id\":\"l\"}");

            JsonNode signedIn = client.next();
            assertThat(signedIn.path("re").asText()).isEqualTo("a");
            assertThat(signedIn.path("type").asText()).isEqualTo("ok");
            assertThat(signedIn.path("missedCalls").asInt()).isZero();
            List<String> rest = List.of(client.next().path("re").asText(), client.next().path("re").asText());
            assertThat(rest).containsExactly("p", "l");
        }
    }
}
