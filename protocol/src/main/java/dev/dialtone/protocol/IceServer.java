package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/**
 * One STUN or TURN server for the client's {@code RTCPeerConnection}, in the shape of WebRTC's
 * {@code RTCIceServer}, so a browser can pass the list on unchanged:
 * {@code {"urls":["turn:turn.example.com:3478?transport=udp"],"username":"1767312000:alice","credential":"…"}}.
 *
 * <p>{@code urls} is always written as an array; reading also accepts a single string (as
 * {@code RTCIceServer} does), so the server's {@code DIALTONE_ICE_SERVERS} can be pasted from a
 * browser configuration. {@code username} and {@code credential} are absent for STUN servers.
 *
 * @param urls       one or more {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs
 * @param username   the TURN user name, or null
 * @param credential the TURN password, or null; never printed by {@link #toString()}
 */
public record IceServer(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> urls,
                        String username, String credential) {
    public IceServer {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("urls must name at least one server");
        }
        urls = List.copyOf(urls);
    }

    /** A server without credentials (STUN). */
    public static IceServer of(String... urls) {
        return new IceServer(List.of(urls), null, null);
    }

    /** Says whether there is a credential, never what it is: results and configurations get logged. */
    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential="
                + (credential == null ? "null" : "[hidden]") + "]";
    }
}
