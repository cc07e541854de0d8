package dev.dialtone.client.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook or hook request came from your Dialtone server: the
 * {@code Dialtone-Signature} header must carry an HMAC-SHA256 of the raw body made with the shared
 * secret ({@code DIALTONE_WEBHOOK_SECRET}, or the hook's secret), and a timestamp close to now, so
 * that a captured request cannot be replayed later.
 *
 * <p>The header looks like {@code t=1718000000,v1=5257a869e7…}: {@code t} is the signing time in
 * Unix seconds and each {@code v1} is the lowercase hex of
 * {@code HMAC-SHA256(secret, "<t>.<raw body bytes>")}. A header may carry several {@code v1}
 * entries (while a secret is being rotated); one match is enough. Entries of other schemes
 * ({@code v0=}, {@code v2=}…) are ignored.
 *
 * <p>Verify the body bytes exactly as received, before parsing them: a parsed and re-serialized
 * body is not the signed one.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("DIALTONE_WEBHOOK_SECRET"));
 *
 * // in your HTTP handler
 * byte[] body = request.getInputStream().readAllBytes();
 * try {
 *     verifier.verify(request.getHeader(WebhookVerifier.HEADER), body);
 * } catch (WebhookVerificationException e) {
 *     response.sendError(400, e.getMessage());
 *     return;
 * }
 * handle(body); // dedupe by the Dialtone-Event-Id header: an event may arrive more than once
 * response.setStatus(204);
 * }</pre>
 *
 * <p>Immutable and thread-safe: one instance serves every request.
 */
public final class WebhookVerifier {
    /** The name of the header that carries the signature. */
    public static final String HEADER = "Dialtone-Signature";
    /** How far a signature's timestamp may be from now unless told otherwise: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_BYTES = 32;

    private final SecretKeySpec key;
    private final Duration tolerance;
    private final Clock clock;

    /** A verifier with the UTF-8 bytes of {@code secret} and the {@link #DEFAULT_TOLERANCE}. */
    public WebhookVerifier(String secret) {
        this(utf8(secret), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** A verifier with {@code secret} and the {@link #DEFAULT_TOLERANCE}. */
    public WebhookVerifier(byte[] secret) {
        this(secret, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** A verifier with the UTF-8 bytes of {@code secret} that accepts timestamps within {@code tolerance}. */
    public WebhookVerifier(String secret, Duration tolerance) {
        this(utf8(secret), tolerance, Clock.systemUTC());
    }

    /** A verifier that accepts timestamps within {@code tolerance} of now. */
    public WebhookVerifier(byte[] secret, Duration tolerance) {
        this(secret, tolerance, Clock.systemUTC());
    }

    /**
     * A verifier that reads now from {@code clock} (tests of a receiver use a fixed clock).
     *
     * @param secret    the shared secret, not empty; copied
     * @param tolerance how far from now a timestamp may be, either way; positive
     * @throws IllegalArgumentException if the secret is empty or the tolerance is not positive
     */
    public WebhookVerifier(byte[] secret, Duration tolerance, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(tolerance, "tolerance");
        if (secret.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("the tolerance must be positive, not " + tolerance);
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.tolerance = tolerance;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns normally if {@code signatureHeader} is a valid signature of {@code body} made within
     * the tolerance of now.
     *
     * @param signatureHeader the value of the {@code Dialtone-Signature} header; null when absent
     * @param body            the raw request body
     * @throws WebhookVerificationException saying what is wrong
     */
    public void verify(String signatureHeader, byte[] body) throws WebhookVerificationException {
        Objects.requireNonNull(body, "body");
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.MISSING_HEADER,
                    "no " + HEADER + " header");
        }
        Parsed parsed = parse(signatureHeader);
        byte[] expected = mac(parsed.timestamp, body);
        boolean matched = false;
        for (byte[] candidate : parsed.signatures) {
            // Constant time: a byte-by-byte early exit would let an attacker find the MAC by timing.
            matched |= MessageDigest.isEqual(expected, candidate);
        }
        if (!matched) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.SIGNATURE_MISMATCH,
                    "no v1 signature matches the body: signed with another secret, or the body was changed");
        }
        // Checked after the MAC so that a forged request is reported as a mismatch, not as "old".
        long ageSeconds = clock.instant().getEpochSecond() - parsed.timestamp;
        if (Math.abs(ageSeconds) > tolerance.getSeconds()) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.TIMESTAMP_OUTSIDE_TOLERANCE,
                    "the signature's timestamp is " + Math.abs(ageSeconds) + " s in the "
                            + (ageSeconds > 0 ? "past" : "future") + ", more than the tolerance of "
                            + tolerance.getSeconds() + " s");
        }
    }

    /** Like {@link #verify}, as a boolean: true when the request is authentic and recent. */
    public boolean isValid(String signatureHeader, byte[] body) {
        try {
            verify(signatureHeader, body);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    /** The tolerance this verifier applies. */
    public Duration tolerance() {
        return tolerance;
    }

    private byte[] mac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java platform must provide HmacSHA256; a failure here is a broken JDK.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private record Parsed(long timestamp, List<byte[]> signatures) {
    }

    private static Parsed parse(String header) throws WebhookVerificationException {
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String entry = part.trim();
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw malformed("\"" + abbreviate(entry) + "\" is not key=value");
            }
            String name = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            if (name.equals("t")) {
                if (timestamp != null) {
                    throw malformed("more than one t");
                }
                timestamp = parseTimestamp(value);
            } else if (name.equals("v1")) {
                byte[] signature = hex(value);
                if (signature == null) {
                    throw malformed("v1 is not " + SIGNATURE_BYTES * 2 + " hex digits");
                }
                signatures.add(signature);
            }
            // Other names are other schemes or future fields: ignored, so that they can be added.
        }
        if (timestamp == null) {
            throw malformed("no t=<unix seconds>");
        }
        if (signatures.isEmpty()) {
            throw malformed("no v1 signature");
        }
        return new Parsed(timestamp, signatures);
    }

    private static long parseTimestamp(String value) throws WebhookVerificationException {
        // Digits only: Long.parseLong would also take "+12" or "-5".
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("t is not a number of seconds");
        }
        return Long.parseLong(value);
    }

    private static byte[] hex(String value) {
        if (value.length() != SIGNATURE_BYTES * 2) {
            return null;
        }
        byte[] bytes = new byte[SIGNATURE_BYTES];
        for (int i = 0; i < bytes.length; i++) {
            int high = hexDigit(value.charAt(2 * i));
            int low = hexDigit(value.charAt(2 * i + 1));
            if (high < 0 || low < 0) {
                return null;
            }
            bytes[i] = (byte) (high << 4 | low);
        }
        return bytes;
    }

    /** ASCII only: {@code Character.digit} would also take other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static WebhookVerificationException malformed(String what) {
        return new WebhookVerificationException(WebhookVerificationException.Reason.MALFORMED_HEADER,
                "malformed " + HEADER + " header: " + what);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static byte[] utf8(String secret) {
        return Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
    }
}
