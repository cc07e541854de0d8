package dev.dialtone.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.Limits;
import dev.dialtone.protocol.Media;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to invite: who, with which media, an optional payload and ring timeout. Immutable; every
 * {@code with}-style method returns a new value and validates at once with the protocol's rules
 * (at least one user id, each at most 128 characters, no duplicates; the payload a JSON object of
 * at most 8 KiB; the timeout between 1 and 120 seconds) and throws {@link IllegalArgumentException}
 * or {@link NullPointerException}, so an invalid invite fails where it is written, not when the
 * server answers. (The server may allow fewer invitees per call, by default 16.)
 *
 * <pre>{@code
 * InviteOptions options = InviteOptions.to("bob")
 *         .media(Media.VIDEO)
 *         .payload(json)                       // optional, delivered to bob in call.incoming
 *         .timeout(Duration.ofSeconds(20));    // optional, the server's default is 30 s
 * }</pre>
 */
public final class InviteOptions {
    private final List<String> invitees;
    private final Media media;
    private final JsonNode payload;
    private final Duration timeout;

    private InviteOptions(List<String> invitees, Media media, JsonNode payload, Duration timeout) {
        Objects.requireNonNull(invitees, "invitees");
        Objects.requireNonNull(media, "media");
        for (String invitee : invitees) {
            Objects.requireNonNull(invitee, "invitees contains null");
        }
        Integer timeoutMs = timeout == null ? null : timeoutMillis(timeout);
        // The protocol's own record checks users, duplicates and the payload; reuse it.
        Command.CallInvite checked = new Command.CallInvite("check", invitees, media, payload, timeoutMs);
        this.invitees = checked.to();
        this.media = media;
        this.payload = checked.payload() == null ? null : checked.payload().deepCopy();
        this.timeout = timeout;
    }

    /** Invites one or more users, with audio and no payload. */
    public static InviteOptions to(String... users) {
        Objects.requireNonNull(users, "users");
        return to(Arrays.asList(users));
    }

    /** Invites one or more users, with audio and no payload. */
    public static InviteOptions to(List<String> users) {
        Objects.requireNonNull(users, "users");
        return new InviteOptions(users, Media.AUDIO, null, null);
    }

    /** The same invite with this media (the default is {@link Media#AUDIO}). */
    public InviteOptions media(Media media) {
        return new InviteOptions(invitees, media, payload, timeout);
    }

    /**
     * The same invite with this payload: a JSON object of at most 8 KiB, delivered to the invitees
     * in {@code call.incoming}; null for none. The object is copied.
     */
    public InviteOptions payload(JsonNode payload) {
        return new InviteOptions(invitees, media, payload, timeout);
    }

    /** The same invite with this ring timeout (1 to 120 s, whole milliseconds); null for the server's default. */
    public InviteOptions timeout(Duration timeout) {
        return new InviteOptions(invitees, media, payload, timeout);
    }

    /** The users to invite, in order. */
    public List<String> invitees() {
        return invitees;
    }

    /** The media of the call. */
    public Media media() {
        return media;
    }

    /** A copy of the payload, or null. */
    public JsonNode payload() {
        return payload == null ? null : payload.deepCopy();
    }

    /** The ring timeout, or empty for the server's default. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    private static int timeoutMillis(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(Duration.ofMillis(Limits.MAX_RING_TIMEOUT_MS)) > 0
                || timeout.compareTo(Duration.ofMillis(Limits.MIN_RING_TIMEOUT_MS)) < 0) {
            throw new IllegalArgumentException("timeout must be between " + Limits.MIN_RING_TIMEOUT_MS + " and "
                    + Limits.MAX_RING_TIMEOUT_MS + " ms, was " + timeout.toMillis() + " ms");
        }
        return (int) timeout.toMillis();
    }

    @Override
    public String toString() {
        return "InviteOptions{to=" + invitees + ", media=" + media.wire()
                + (timeout == null ? "" : ", timeout=" + timeout.toMillis() + "ms")
                + (payload == null ? "" : ", payload") + "}";
    }
}
