package dev.dialtone.server.ice;

/**
 * The check every configured STUN/TURN URL passes at startup, so that a typo stops the server
 * with one line instead of making every browser's {@code new RTCPeerConnection} throw later.
 */
final class IceUrls {
    private IceUrls() {
    }

    /** True for {@code turn:} and {@code turns:} URLs: those need a user name and a credential. */
    static boolean isTurn(String url) {
        return url.startsWith("turn:") || url.startsWith("turns:");
    }

    /**
     * Checks the scheme (RFC 7064/7065: {@code stun:}, {@code stuns:}, {@code turn:},
     * {@code turns:}) and that a host follows it.
     *
     * @param turnOnly whether only {@code turn:} and {@code turns:} are allowed
     * @param name     what the setting is called in the error, e.g. {@code DIALTONE_TURN_URLS}
     */
    static String check(String url, boolean turnOnly, String name) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(name + ": an empty URL");
        }
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon);
        boolean known = turnOnly ? isTurn(url)
                : scheme.equals("stun") || scheme.equals("stuns") || scheme.equals("turn") || scheme.equals("turns");
        if (!known) {
            throw new IllegalArgumentException(name + ": '" + url + "' must start with "
                    + (turnOnly ? "turn: or turns:" : "stun:, stuns:, turn: or turns:"));
        }
        if (colon == url.length() - 1 || url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(name + ": '" + url.strip() + "' needs a host after the scheme and no spaces");
        }
        return url;
    }
}
