package dev.dialtone.server.ice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.dialtone.protocol.IceServer;
import dev.dialtone.protocol.WireCodec;
import java.util.List;

/**
 * Reads {@code DIALTONE_ICE_SERVERS}: a JSON array of {@code RTCIceServer} objects, e.g.
 * {@code [{"urls":"stun:stun.example.com:3478"},{"urls":["turn:turn.example.com"],"username":"u","credential":"p"}]}.
 *
 * <p>Stricter than the wire: an unknown field is refused (a misspelt {@code "credentials"} would
 * otherwise silently send a TURN server without a password), and a TURN URL without a user name
 * and credential is refused, because browsers reject the whole list for it.
 */
final class IceServerList {
    static final String NAME = "DIALTONE_ICE_SERVERS";

    private static final ObjectReader READER = WireCodec.get().mapper()
            .readerFor(new TypeReference<List<IceServer>>() { })
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private IceServerList() {
    }

    /** The servers of {@code json}; an empty list for null or blank. */
    static List<IceServer> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<IceServer> servers;
        try {
            servers = READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(NAME + " must be a JSON array of {\"urls\": …, \"username\"?: …, "
                    + "\"credential\"?: …} objects: " + describe(e));
        }
        if (servers == null) {
            throw new IllegalArgumentException(NAME + " must be a JSON array, not null");
        }
        return check(servers);
    }

    /** Checks servers given as records (builder use): every URL and the TURN credentials. */
    static List<IceServer> check(List<IceServer> servers) {
        for (IceServer server : servers) {
            if (server == null) {
                throw new IllegalArgumentException(NAME + ": null is not an ICE server");
            }
            for (String url : server.urls()) {
                IceUrls.check(url, false, NAME);
                if (IceUrls.isTurn(url) && (blank(server.username()) || blank(server.credential()))) {
                    throw new IllegalArgumentException(NAME + ": '" + url
                            + "' is a TURN server and needs \"username\" and \"credential\"");
                }
            }
        }
        return List.copyOf(servers);
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

    /** One line in the words of the setting, not Jackson's (no type names, no source excerpt). */
    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\"";
        }
        if (e instanceof StreamReadException || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
            return "not valid JSON";
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        if (e instanceof JsonMappingException mapping) {
            List<JsonMappingException.Reference> path = mapping.getPath();
            if (path.isEmpty()) {
                return "the value is not an array";
            }
            String entry = "entry " + (path.get(0).getIndex() + 1);
            return path.size() == 1 ? entry + " is not an object"
                    : entry + ": \"" + path.get(1).getFieldName() + "\" has the wrong type";
        }
        return "not valid JSON";
    }
}
