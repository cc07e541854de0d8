package dev.dialtone.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A frame from the server as a client decodes it: an event with its seq, or a reply. */
public sealed interface ServerFrame {

    /**
     * An event and its session seq. {@code event} is null for an event this client cannot read (a
     * type or a field value from a newer server); the seq still counts, so the client can ack and
     * resume past it.
     */
    record EventFrame(long seq, String type, Event event) implements ServerFrame {
    }

    /** An {@code ok} reply; decode its fields with {@link WireCodec#result(OkFrame, Class)}. */
    record OkFrame(String re, ObjectNode fields) implements ServerFrame {
    }

    /** An {@code error} reply. {@code code} is null only for a code this client does not know. */
    record ErrorFrame(String re, ErrorCode code, String message, ResumeFailure reason, String hookCode)
            implements ServerFrame {
    }
}
