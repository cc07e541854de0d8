package dev.dialtone.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Field checks shared by the message records; each failure names the field. */
final class Validate {
    private Validate() {
    }

    static String commandId(String id) {
        required(id, "id");
        if (id.length() > Limits.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("id is longer than " + Limits.MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    /** A room name: 1–128 letters, digits, '-', '_' or '.'. */
    static String roomName(String room) {
        required(room, "room");
        if (room.length() > Limits.MAX_ROOM_LENGTH || !room.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))) {
            throw new IllegalArgumentException("room must be 1 to " + Limits.MAX_ROOM_LENGTH
                    + " letters, digits, '-', '_' or '.'");
        }
        return room;
    }

    static String required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String user(String value, String field) {
        required(value, field);
        if (value.length() > Limits.MAX_USER_LENGTH) {
            throw new IllegalArgumentException(field + " is longer than " + Limits.MAX_USER_LENGTH + " characters");
        }
        return value;
    }

    static List<String> users(List<String> values, String field) {
        required(values, field);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(field + " must name at least one user");
        }
        for (String value : values) {
            user(value, field + "[]");
        }
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException(field + " names a user twice");
        }
        return List.copyOf(values);
    }

    /** An optional JSON object: JSON null counts as absent; anything but an object is refused. */
    static JsonNode optionalObject(JsonNode value, String field, int maxBytes) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        return maxSize(value, field, maxBytes);
    }

    static JsonNode maxSize(JsonNode value, String field, int maxBytes) {
        // toString() gives the compact serialization, which is what travels on the wire (UTF-8).
        String json = value.toString();
        if (json.length() > maxBytes
                || (json.length() * 3L > maxBytes && json.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
            throw new IllegalArgumentException(field + " is larger than " + maxBytes + " bytes");
        }
        return value;
    }
}
