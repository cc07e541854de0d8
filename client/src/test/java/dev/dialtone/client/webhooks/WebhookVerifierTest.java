package dev.dialtone.client.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.client.webhooks.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {
    private static final String SECRET = "whsec_test_0123456789abcdef";
    private static final long NOW = 1_718_000_000L;
    private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
    /** Computed independently (Python's hmac) for SECRET, NOW and BODY. */
    private static final String KNOWN_V1 = "fe55b3699c5e5d5b2b235e913f2c9bcf7b0ef180fd596892269741665d784cc6";

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private final WebhookVerifier verifier = new WebhookVerifier(bytes(SECRET), WebhookVerifier.DEFAULT_TOLERANCE, clock);

    @Test
    void acceptsAKnownSignature() {
        assertThatCode(() -> verifier.verify("t=" + NOW + ",v1=" + KNOWN_V1, BODY)).doesNotThrowAnyException();
        assertThat(verifier.isValid("t=" + NOW + ",v1=" + KNOWN_V1, BODY)).isTrue();
        assertThat(sign(SECRET, NOW, BODY)).isEqualTo(KNOWN_V1);
        // Spaces after commas and upper-case hex are tolerated.
        assertThat(verifier.isValid("t=" + NOW + ", v1=" + KNOWN_V1.toUpperCase(), BODY)).isTrue();
    }

    @Test
    void stringAndByteSecretsAreTheSame() {
        WebhookVerifier fromString = new WebhookVerifier(SECRET, Duration.ofMinutes(5));
        long now = Instant.now().getEpochSecond();
        String header = "t=" + now + ",v1=" + sign(SECRET, now, BODY);
        assertThat(fromString.isValid(header, BODY)).isTrue();
        assertThat(new WebhookVerifier(bytes(SECRET)).isValid(header, BODY)).isTrue();
        assertThat(new WebhookVerifier(SECRET).tolerance()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void rejectsATamperedBody() {
        byte[] tampered = "{\"hello\":\"World\"}".getBytes(StandardCharsets.UTF_8);
        assertReason("t=" + NOW + ",v1=" + KNOWN_V1, tampered, Reason.SIGNATURE_MISMATCH);
        assertThat(verifier.isValid("t=" + NOW + ",v1=" + KNOWN_V1, tampered)).isFalse();
    }

    @Test
    void rejectsAnotherSecret() {
        assertReason("t=" + NOW + ",v1=" + sign("another-secret-0123456789", NOW, BODY), BODY, Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsATimestampThatWasChangedAfterSigning() {
        // Moving t (to make an old request look fresh) breaks the MAC, which covers it.
        assertReason("t=" + (NOW + 1) + ",v1=" + KNOWN_V1, BODY, Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsOldAndFutureTimestamps() {
        long old = NOW - 301;
        assertThatThrownBy(() -> verifier.verify("t=" + old + ",v1=" + sign(SECRET, old, BODY), BODY))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("301 s in the past")
                .extracting(e -> ((WebhookVerificationException) e).reason())
                .isEqualTo(Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
        long future = NOW + 301;
        assertReason("t=" + future + ",v1=" + sign(SECRET, future, BODY), BODY, Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
        // At the edge of the tolerance it still passes.
        long edge = NOW - 300;
        assertThat(verifier.isValid("t=" + edge + ",v1=" + sign(SECRET, edge, BODY), BODY)).isTrue();
    }

    @Test
    void appliesACustomTolerance() {
        WebhookVerifier strict = new WebhookVerifier(bytes(SECRET), Duration.ofSeconds(10), clock);
        long t = NOW - 11;
        assertThat(strict.isValid("t=" + t + ",v1=" + sign(SECRET, t, BODY), BODY)).isFalse();
        assertThat(verifier.isValid("t=" + t + ",v1=" + sign(SECRET, t, BODY), BODY)).isTrue();
    }

    @Test
    void acceptsAnyOfSeveralV1Entries() {
        String old = sign("the-old-secret-0123456789", NOW, BODY);
        assertThat(verifier.isValid("t=" + NOW + ",v1=" + old + ",v1=" + KNOWN_V1, BODY)).isTrue();
        assertThat(verifier.isValid("t=" + NOW + ",v1=" + KNOWN_V1 + ",v1=" + old, BODY)).isTrue();
        // Other schemes are ignored, in any position.
        assertThat(verifier.isValid("v0=abc,t=" + NOW + ",v1=" + KNOWN_V1 + ",v2=zz", BODY)).isTrue();
        assertReason("t=" + NOW + ",v1=" + old + ",v1=" + old, BODY, Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void reportsAMissingHeader() {
        assertReason(null, BODY, Reason.MISSING_HEADER);
        assertReason("", BODY, Reason.MISSING_HEADER);
        assertReason("   ", BODY, Reason.MISSING_HEADER);
    }

    @Test
    void reportsMalformedHeaders() {
        assertReason("v1=" + KNOWN_V1, BODY, Reason.MALFORMED_HEADER);                       // no t
        assertReason("t=" + NOW, BODY, Reason.MALFORMED_HEADER);                             // no v1
        assertReason("t=" + NOW + ",v2=" + KNOWN_V1, BODY, Reason.MALFORMED_HEADER);         // only another scheme
        assertReason("t=abc,v1=" + KNOWN_V1, BODY, Reason.MALFORMED_HEADER);
        assertReason("t=-5,v1=" + KNOWN_V1, BODY, Reason.MALFORMED_HEADER);
        assertReason("t=,v1=" + KNOWN_V1, BODY, Reason.MALFORMED_HEADER);
        assertReason("t=" + NOW + ",t=" + NOW + ",v1=" + KNOWN_V1, BODY, Reason.MALFORMED_HEADER);
        assertReason("t=" + NOW + ",v1=" + KNOWN_V1.substring(2), BODY, Reason.MALFORMED_HEADER);
        assertReason("t=" + NOW + ",v1=" + KNOWN_V1.replace('f', 'g'), BODY, Reason.MALFORMED_HEADER);
        assertReason("t=" + NOW + ",v1=" + KNOWN_V1 + ",", BODY, Reason.MALFORMED_HEADER);
        assertReason("garbage", BODY, Reason.MALFORMED_HEADER);
        assertReason(KNOWN_V1, BODY, Reason.MALFORMED_HEADER);
        // Non-ASCII digits are not hex digits.
        assertReason("t=" + NOW + ",v1=" + KNOWN_V1.substring(0, 63) + "\u0663", BODY, Reason.MALFORMED_HEADER);
    }

    @Test
    void validatesItsArguments() {
        assertThatThrownBy(() -> new WebhookVerifier(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookVerifier(SECRET, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookVerifier(SECRET, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookVerifier((String) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void copiesTheSecret() {
        byte[] secret = bytes(SECRET);
        WebhookVerifier copy = new WebhookVerifier(secret, Duration.ofMinutes(5), clock);
        secret[0] = 'X';
        assertThat(copy.isValid("t=" + NOW + ",v1=" + KNOWN_V1, BODY)).isTrue();
    }

    private void assertReason(String header, byte[] body, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(header, body))
                .isInstanceOf(WebhookVerificationException.class)
                .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(reason));
        assertThat(verifier.isValid(header, body)).isFalse();
    }

    static String sign(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(bytes(secret), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
