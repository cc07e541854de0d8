package dev.dialtone.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.WireCodec;
import java.util.List;

/** Typical frames and events of one call, as the server sees them: the benchmarks' inputs. */
final class Frames {
    /** A call id and a room id of the server's shape ({@code IdSource.random}). */
    static final String CALL_ID = "c-0NfQk3xYz8AbCdEf";
    static final String ROOM_ID = "r-Qm9vZ2xlUm9vbUlk";
    static final long EXPIRES_AT = 1_767_225_630_000L;
    /** The size of the SDP in {@link #SIGNAL}. */
    static final int SDP_CHARS = 1024;

    /** {@code call.invite}: one callee, video, a small payload, a ring timeout. */
    static final String INVITE = "{\"type\":\"call.invite\",\"id\":\"17\",\"to\":[\"callee-1\"],\"media\":\"video\","
            + "\"payload\":{\"subject\":\"Support call\",\"ticket\":\"T-12345\"},\"timeoutMs\":30000}";

    /** {@code call.signal} relaying an SDP offer of {@link #SDP_CHARS} characters. */
    static final String SIGNAL = "{\"type\":\"call.signal\",\"id\":\"18\",\"callId\":\"" + CALL_ID
            + "\",\"to\":\"callee-1\",\"data\":" + WireCodec.get().mapper().valueToTree(signalData()).toString() + "}";

    private Frames() {
    }

    /** {@code {"type":"offer","sdp":"v=0\r\n…"}} with an SDP of exactly {@link #SDP_CHARS} characters. */
    static JsonNode signalData() {
        ObjectNode data = WireCodec.get().mapper().createObjectNode();
        data.put("type", "offer");
        data.put("sdp", sdp());
        return data;
    }

    /** A plausible WebRTC audio/video offer, padded (or cut) to {@link #SDP_CHARS} characters. */
    static String sdp() {
        StringBuilder sdp = new StringBuilder(SDP_CHARS + 128)
                .append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
                .append("a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS stream\r\n")
                .append("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\n")
                .append("a=ice-options:trickle\r\na=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:")
                .append("1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\na=setup:actpass\r\na=mid:0\r\n")
                .append("a=sendrecv\r\na=msid:stream audio0\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n")
                .append("a=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n")
                .append("a=ssrc:1001 cname:4TOk42mSjXCkVIa6\r\n")
                .append("m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\n")
                .append("a=mid:1\r\na=sendrecv\r\na=msid:stream video0\r\na=rtcp-mux\r\na=rtcp-rsize\r\n")
                .append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\n")
                .append("a=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n")
                .append("a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n");
        while (sdp.length() < SDP_CHARS) {
            sdp.append("a=ssrc:2002 msid:stream video0\r\n");
        }
        sdp.setLength(SDP_CHARS);
        return sdp.toString();
    }

    static final JsonNode INVITE_PAYLOAD = WireCodec.get().mapper().createObjectNode()
            .put("subject", "Support call").put("ticket", "T-12345");

    /** {@code call.incoming} as the machine makes it for a one-to-one video invite. */
    static Event incoming() {
        return new Event.CallIncoming(CALL_ID, "caller-1", Media.VIDEO, INVITE_PAYLOAD, List.of("callee-1"),
                EXPIRES_AT, null);
    }

    /** {@code call.started} as the machine makes it when the callee accepts. */
    static Event started() {
        return new Event.CallStarted(CALL_ID, ROOM_ID, List.of("caller-1", "callee-1"));
    }
}
