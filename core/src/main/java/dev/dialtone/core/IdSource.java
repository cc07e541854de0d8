package dev.dialtone.core;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes call and room ids. Injected so that engine tests are deterministic. */
public interface IdSource {
    String newCallId();

    String newRoomId();

    /**
     * Random, unguessable ids ({@code c-} / {@code r-} and 96 random bits): knowing one call id
     * tells nothing about another, and a room id is a capability for the media layer.
     */
    static IdSource random() {
        SecureRandom random = new SecureRandom();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return new IdSource() {
            private String next(String prefix) {
                byte[] bytes = new byte[12];
                random.nextBytes(bytes);
                return prefix + encoder.encodeToString(bytes);
            }

            @Override
            public String newCallId() {
                return next("c-");
            }

            @Override
            public String newRoomId() {
                return next("r-");
            }
        };
    }
}
