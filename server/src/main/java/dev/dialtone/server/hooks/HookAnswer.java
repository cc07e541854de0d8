package dev.dialtone.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.WireCodec;
import java.io.IOException;

/**
 * Reads the business server's answer into a verdict. Two styles are accepted:
 *
 * <pre>
 * {"allow": true}                                                     → allow
 * {"allow": false, "code": "CARD_EXPIRED", "message": "Card expired"}  → deny CARD_EXPIRED
 * {"code": 0}                  (older business servers: 0 is success)  → allow
 * {"code": 1002, "message": "…"}  or  {"code": "NO_CREDIT"}            → deny "1002" / "NO_CREDIT"
 * </pre>
 *
 * {@code allow}, when present, decides (and {@code code} is only the reason); a denial without a
 * code gets {@link #DEFAULT_DENY_CODE}, so that a decided denial never looks like a hook failure.
 * Codes and messages are cut to a length that fits an error frame. Anything else (not a JSON
 * object, {@code allow} not a boolean, neither field) is {@link Unreadable}. Stateless.
 */
final class HookAnswer {
    static final String DEFAULT_DENY_CODE = "DENIED";
    static final int MAX_CODE_CHARS = 64;
    static final int MAX_MESSAGE_CHARS = 500;

    /** The answer is not one of the accepted shapes; the hook counts as failed. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private HookAnswer() {
    }

    static HookVerdict parse(byte[] body) throws Unreadable {
        JsonNode json;
        try {
            json = WireCodec.get().mapper().readTree(body);
        } catch (IOException e) {
            throw new Unreadable("the answer is not JSON: " + excerpt(body));
        }
        if (json == null || !json.isObject()) {
            throw new Unreadable("the answer is not a JSON object: " + excerpt(body));
        }
        JsonNode allow = json.get("allow");
        JsonNode code = json.get("code");
        String message = text(json.get("message"), MAX_MESSAGE_CHARS);
        if (allow != null && !allow.isNull()) {
            if (!allow.isBoolean()) {
                throw new Unreadable("\"allow\" is not true or false");
            }
            if (allow.booleanValue()) {
                return HookVerdict.allow();
            }
            String denyCode = code(code);
            return HookVerdict.deny(denyCode == null ? DEFAULT_DENY_CODE : denyCode, message);
        }
        if (code == null || code.isNull()) {
            throw new Unreadable("the answer has neither \"allow\" nor \"code\"");
        }
        if (!code.isNumber() && !code.isTextual()) {
            throw new Unreadable("\"code\" is not a number or a string");
        }
        if (isZero(code)) {
            return HookVerdict.allow();
        }
        return HookVerdict.deny(code(code), message);
    }

    /** 0, 0.0 and "0" all mean success in the numeric style. */
    private static boolean isZero(JsonNode code) {
        if (code.isNumber()) {
            return code.decimalValue().signum() == 0;
        }
        return code.textValue().trim().equals("0");
    }

    /** The start of an unreadable answer, for the log line. */
    private static String excerpt(byte[] body) {
        if (body.length == 0) {
            return "(empty)";
        }
        String text = new String(body, 0, Math.min(body.length, 80), java.nio.charset.StandardCharsets.UTF_8);
        return "\"" + text.replaceAll("\\p{Cntrl}", " ") + (body.length > 80 ? "…" : "") + "\"";
    }

    private static String code(JsonNode code) {
        if (code == null || code.isNull()) {
            return null;
        }
        String text = code.isTextual() ? code.textValue().trim() : code.isNumber() ? code.asText() : null;
        return text == null || text.isEmpty() ? null : cut(text, MAX_CODE_CHARS);
    }

    private static String text(JsonNode node, int max) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? cut(node.textValue(), max) : null;
    }

    private static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        // Never leave half of a surrogate pair at the end.
        return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
    }
}
