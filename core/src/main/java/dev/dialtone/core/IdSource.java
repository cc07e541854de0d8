package dev.dialtone.core;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes call and room ids. Injected so that engine tests are deterministic. */
public interface IdSource {
    String newCallId();

    String newRoomId();

    /**
     * The server's ids. A room id ({@code r-} and 96 random bits) is a capability for the media
     * layer, so it is random through and through. A call id ({@code c-} and 16 characters) begins
     * with its creation time and ends with 54 random bits: ids of one millisecond still differ,
     * knowing one id does not reveal another, and the call records' keys by call id grow at
     * their end, which keeps recording cheap (a random key puts every insert on a random page).
     */
    static IdSource random() {
        return random(Clock.system());
    }

    static IdSource random(Clock clock) {
        SecureRandom random = new SecureRandom();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return new IdSource() {
            @Override
            public String newCallId() {
                return "c-" + TimeOrderedId.of(clock.nowMillis(), random);
            }

            @Override
            public String newRoomId() {
                byte[] bytes = new byte[12];
                random.nextBytes(bytes);
                return "r-" + encoder.encodeToString(bytes);
            }
        };
    }
}
