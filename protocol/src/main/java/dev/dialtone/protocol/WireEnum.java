package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** An enum whose constants travel on the wire under a lower-case name such as {@code no_answer}. */
public interface WireEnum {

    /** The name of this constant on the wire. */
    @JsonValue
    String wire();

    /**
     * Finds the constant of {@code type} with the given wire name.
     *
     * @throws IllegalArgumentException naming the accepted values when there is none
     */
    static <E extends Enum<E> & WireEnum> E fromWire(Class<E> type, String wire) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return constant;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            accepted.append(accepted.length() == 0 ? "" : ", ").append(constant.wire());
        }
        throw new IllegalArgumentException("'" + wire + "' is not one of: " + accepted);
    }

    /** The wire name of an enum constant: its Java name in lower case. */
    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT);
    }
}
