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
        // One generator per thread: the platform's default (NativePRNG) serializes every caller on
        // one lock and reads /dev/urandom; it was a fifth of a call's time in the state machine's
        // benchmark. A DRBG seeded from the platform is as unguessable and needs neither.
        ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(IdSource::strongGenerator);
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return new IdSource() {
            @Override
            public String newCallId() {
                return "c-" + TimeOrderedId.of(clock.nowMillis(), random.get());
            }

            @Override
            public String newRoomId() {
                byte[] bytes = new byte[12];
                random.get().nextBytes(bytes);
                return "r-" + encoder.encodeToString(bytes);
            }
        };
    }

    private static SecureRandom strongGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();  // every JDK since 9 has DRBG; this is for odd providers
        }
    }
}
