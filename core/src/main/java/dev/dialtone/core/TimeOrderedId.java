package dev.dialtone.core;

import java.util.random.RandomGenerator;

/**
 * 16 URL-safe characters that sort, as plain ASCII strings, in the order they were made: 7
 * characters of epoch milliseconds (42 bits, good until the year 2109), then 9 random characters
 * (54 bits). The alphabet is base64url's 64 characters in ASCII order, so that byte-wise and
 * "C"-collation comparisons (H2, PostgreSQL) agree with time.
 */
final class TimeOrderedId {
    static final String ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    static final int TIME_CHARS = 7;
    static final int RANDOM_CHARS = 9;

    private TimeOrderedId() {
    }

    static String of(long epochMillis, RandomGenerator random) {
        char[] id = new char[TIME_CHARS + RANDOM_CHARS];
        long time = epochMillis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            id[i] = ALPHABET.charAt((int) (time & 63));
            time >>>= 6;
        }
        long bits = random.nextLong();
        for (int i = TIME_CHARS; i < id.length; i++) {
            id[i] = ALPHABET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(id);
    }
}
