package dev.dialtone.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a JSON value against a schema of the OpenAPI document, for the keywords the document
 * uses: {@code $ref} (into the same document), {@code type}, {@code required}, {@code properties},
 * {@code items}, {@code enum}, {@code const}, {@code minimum}, {@code maximum}, {@code minLength},
 * {@code maxLength}. An object schema that lists {@code properties} must list every property the
 * server sends. Unknown keywords fail, so the checker cannot silently skip a rule.
 */
final class OpenApiSchema {
    private static final Set<String> KNOWN = Set.of("$ref", "type", "required", "properties", "items", "enum",
            "const", "minimum", "maximum", "minLength", "maxLength", "format", "description", "default");

    private final JsonNode document;

    OpenApiSchema(JsonNode document) {
        this.document = document;
    }

    /** Follows {@code $ref} (repeatedly) to the node it names. */
    JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node.has("$ref")) {
            String ref = node.path("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new AssertionError("only local $refs are supported: " + ref);
            }
            JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new AssertionError("dangling $ref " + ref);
            }
            node = target;
            if (++hops > 20) {
                throw new AssertionError("$ref loop at " + ref);
            }
        }
        return node;
    }

    /** The problems of {@code value} against {@code schema}; empty when it conforms. */
    List<String> problems(JsonNode value, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        check(value, schema, "$", problems);
        return problems;
    }

    private void check(JsonNode value, JsonNode schema, String at, List<String> problems) {
        schema = resolve(schema);
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!KNOWN.contains(keyword)) {
                problems.add(at + ": the checker does not know the keyword " + keyword);
            }
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            problems.add(at + ": " + value + " is not the constant " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode option : schema.get("enum")) {
                listed |= option.equals(value);
            }
            if (!listed) {
                problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        String type = schema.path("type").asText(null);
        if (type != null && !hasType(value, type)) {
            problems.add(at + ": " + value + " is not of type " + type);
            return;
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
                problems.add(at + ": " + value + " is below the minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
                problems.add(at + ": " + value + " is above the maximum " + schema.get("maximum"));
            }
        }
        if (value.isTextual()) {
            int length = value.asText().codePointCount(0, value.asText().length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                problems.add(at + ": shorter than " + schema.get("minLength"));
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                problems.add(at + ": longer than " + schema.get("maxLength"));
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(at + ": the required property " + required.asText() + " is missing from " + value);
                }
            }
            JsonNode properties = schema.path("properties");
            if (properties.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode property = properties.get(field.getKey());
                    if (property == null) {
                        problems.add(at + ": the property " + field.getKey() + " is not in the document");
                    } else {
                        check(field.getValue(), property, at + "." + field.getKey(), problems);
                    }
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> throw new AssertionError("unknown type " + type);
        };
    }
}
