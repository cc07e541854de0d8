package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The one JSON codec of the protocol, used by the server, the Java SDK and the CLI.
 *
 * <p>Unknown fields are ignored in both directions so that servers and clients can add optional
 * fields without breaking each other. Absent (null) fields are not written. Thread-safe.
 */
public final class WireCodec {
    private static final WireCodec INSTANCE = new WireCodec();

    private final ObjectMapper mapper = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private WireCodec() {
    }

    public static WireCodec get() {
        return INSTANCE;
    }

    /** The mapper behind the codec, for building payloads ({@code mapper().createObjectNode()}). */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ---- commands (client → server) ------------------------------------------------------

    /**
     * Decodes one client frame.
     *
     * @throws ProtocolException carrying the frame's id (when it had a readable one) and a message
     *     that names the problem: not JSON, not an object, unknown type, or which field is invalid
     */
    public Command decodeCommand(String text) throws ProtocolException {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(null, "frame is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(null, "frame must be a JSON object");
        }
        JsonNode idNode = node.get("id");
        String id = idNode != null && idNode.isValueNode() && !idNode.isNull()
                && idNode.asText().length() <= Limits.MAX_ID_LENGTH ? idNode.asText() : null;
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(id, "frame has no type");
        }
        Class<? extends Command> commandClass = Messages.commands().get(typeNode.textValue());
        if (commandClass == null) {
            throw new ProtocolException(id, "unknown type '" + typeNode.textValue() + "'");
        }
        try {
            return mapper.treeToValue(node, commandClass);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException(id, typeNode.textValue() + ": " + describe(e));
        }
    }

    /** Encodes a command for sending: {@code {"type":"call.accept","id":"3","callId":"c-1"}}. */
    public String encodeCommand(Command command) {
        return withType(command.type(), write(command));
    }

    // ---- replies and events (server → client) --------------------------------------------

    /** Encodes a reply: {@code {"type":"ok","re":"3",…}} or {@code {"type":"error","re":"3","code":…}}. */
    public String encodeReply(Reply reply) {
        if (reply instanceof Reply.Ok ok) {
            String fields = write(ok.result());
            String head = "{\"type\":\"ok\",\"re\":" + quote(ok.re());
            return fields.length() <= 2 ? head + "}" : head + "," + fields.substring(1);
        }
        Reply.Error error = (Reply.Error) reply;
        StringWriter out = new StringWriter(96);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", "error");
            json.writeStringField("re", error.re());
            json.writeStringField("code", error.code().wire());
            json.writeStringField("message", error.message());
            if (error.reason() != null) {
                json.writeStringField("reason", error.reason().wire());
            }
            if (error.hookCode() != null) {
                json.writeStringField("hookCode", error.hookCode());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Encodes an event once, without its seq, so that one event fanned out to many sessions (or
     * kept for replay) is serialized a single time; {@link EncodedEvent#withSeq(long)} adds the seq.
     */
    public EncodedEvent encodeEvent(Event event) {
        String fields = write(event);
        return new EncodedEvent(event.type(), fields.length() <= 2 ? "" : fields.substring(1, fields.length() - 1));
    }

    /** An event serialized without its seq: its type and its other fields as JSON members. */
    public record EncodedEvent(String type, String members) {
        /** The complete frame: {@code {"type":"call.ringing","seq":2,"callId":"c-1","user":"bob"}}. */
        public String withSeq(long seq) {
            StringBuilder frame = new StringBuilder(members.length() + type.length() + 32)
                    .append("{\"type\":\"").append(type).append("\",\"seq\":").append(seq);
            if (!members.isEmpty()) {
                frame.append(',').append(members);
            }
            return frame.append('}').toString();
        }
    }

    /** Decodes a server frame (for clients). */
    public ServerFrame decodeServerFrame(String text) throws ProtocolException {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(null, "server frame is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(null, "server frame is not a JSON object");
        }
        String type = node.path("type").asText("");
        String re = node.hasNonNull("re") ? node.get("re").asText() : null;
        switch (type) {
            case "ok":
                return new ServerFrame.OkFrame(re, (ObjectNode) node);
            case "error":
                return new ServerFrame.ErrorFrame(re, lenient(ErrorCode.class, node.path("code").asText()),
                        node.path("message").asText(""), lenient(ResumeFailure.class, node.path("reason").asText()),
                        node.hasNonNull("hookCode") ? node.get("hookCode").asText() : null);
            default:
                if (!node.path("seq").canConvertToLong()) {
                    throw new ProtocolException(re, "event '" + type + "' has no seq");
                }
                long seq = node.get("seq").asLong();
                Class<? extends Event> eventClass = Messages.events().get(type);
                if (eventClass == null) {
                    return new ServerFrame.EventFrame(seq, type, null);
                }
                try {
                    return new ServerFrame.EventFrame(seq, type, mapper.treeToValue(node, eventClass));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    // A newer server's value (say, a new end reason): the seq still counts, so the
                    // client can ack and resume past the event it cannot read.
                    return new ServerFrame.EventFrame(seq, type, null);
                }
        }
    }

    /** The typed fields of an ok reply. */
    public <T extends Result> T result(ServerFrame.OkFrame ok, Class<T> type) throws ProtocolException {
        try {
            return mapper.treeToValue(ok.fields(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException(ok.re(), "ok: " + describe(e));
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static String withType(String type, String json) {
        String head = "{\"type\":\"" + type + "\"";
        return json.length() <= 2 ? head + "}" : head + "," + json.substring(1);
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    private static <E extends Enum<E> & WireEnum> E lenient(Class<E> type, String wire) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return constant;
            }
        }
        return null;
    }

    /** A short, field-naming description of why a frame could not be bound to its record. */
    private static String describe(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
                String field = e instanceof JsonMappingException mapping ? fieldOf(mapping) : null;
                String message = cause.getMessage();
                return field == null || message.startsWith(field) ? message : field + ": " + message;
            }
        }
        if (e instanceof JsonMappingException mapping && fieldOf(mapping) != null) {
            return "missing or invalid field '" + fieldOf(mapping) + "'";
        }
        return "invalid frame";
    }

    private static String fieldOf(JsonMappingException e) {
        String field = null;
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                field = field == null ? reference.getFieldName() : field + "." + reference.getFieldName();
            }
        }
        return field;
    }
}
