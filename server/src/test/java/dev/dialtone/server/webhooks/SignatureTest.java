package dev.dialtone.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.client.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignatureTest {
    private static final byte[] SECRET = "whsec_test_0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesAnIndependentlyComputedVector() {
        // HMAC-SHA256 computed with Python's hmac module.
        assertThat(new Signature(SECRET).header(1_718_000_000L, BODY))
                .isEqualTo("t=1718000000,v1=fe55b3699c5e5d5b2b235e913f2c9bcf7b0ef180fd596892269741665d784cc6");
    }

    @Test
    void isAcceptedByTheSdkVerifier() {
        long now = 1_718_000_000L;
        WebhookVerifier verifier = new WebhookVerifier(SECRET, Duration.ofMinutes(5),
                Clock.fixed(Instant.ofEpochSecond(now + 10), ZoneOffset.UTC));
        String header = new Signature(SECRET).header(now, BODY);
        assertThat(verifier.isValid(header, BODY)).isTrue();
        assertThat(verifier.isValid(header, "{}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(verifier.isValid(new Signature("some-other-secret-0123".getBytes(StandardCharsets.UTF_8))
                .header(now, BODY), BODY)).isFalse();
    }

    @Test
    void refusesShortSecretsAndCopiesTheKey() {
        assertThatThrownBy(() -> new Signature(new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
        byte[] secret = SECRET.clone();
        Signature signature = new Signature(secret);
        secret[0] = 0;
        assertThat(signature.header(1_718_000_000L, BODY)).endsWith("fe55b3699c5e5d5b2b235e913f2c9bcf7b0ef180fd596892269741665d784cc6");
    }
}
