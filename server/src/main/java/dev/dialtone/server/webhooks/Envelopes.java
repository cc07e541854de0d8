package dev.dialtone.server.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.core.Clock;
import dev.dialtone.protocol.WireCodec;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes event envelopes:
 *
 * <pre>
 * {"id":"evt_3q2-7wHTxN0bJ1sTk4dWQA","type":"call.ended","key":"c-…","seq":3,
 *  "createdAt":1718000000123,"data":{…}}
 * </pre>
 *
 * The id is {@code evt_} and 128 random bits (base64url): receivers dedupe redeliveries by it.
 * Thread-safe.
 */
final class Envelopes {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ObjectMapper mapper = WireCodec.get().mapper();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    Envelopes(Clock clock) {
        this.clock = clock;
    }

    WebhookEvent create(String key, String type, long seq, ObjectNode data) {
        String id = newId();
        long createdAt = clock.nowMillis();
        ObjectNode envelope = mapper.createObjectNode()
                .put("id", id)
                .put("type", type)
                .put("key", key)
                .put("seq", seq)
                .put("createdAt", createdAt);
        envelope.set("data", data == null ? mapper.createObjectNode() : data);
        try {
            return new WebhookEvent(id, type, key, seq, createdAt, mapper.writeValueAsBytes(envelope), System.nanoTime());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "evt_" + BASE64URL.encodeToString(bytes);
    }
}
