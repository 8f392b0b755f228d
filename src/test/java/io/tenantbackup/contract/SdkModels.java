package io.tenantbackup.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The response models of one SDK expectations file: checks that a JSON value has what the SDK reads, with the SDK's
 * types. Members the SDK does not read are not looked at.
 */
final class SdkModels {

    /** What Go's time.Time accepts: RFC 3339 with seconds and an offset. */
    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    private final JsonNode models;

    SdkModels(JsonNode models) {
        this.models = models;
    }

    /** Adds to {@code mismatches} every way {@code value} at {@code path} differs from {@code type}. */
    void check(String path, String type, JsonNode value, List<String> mismatches) {
        if (type.endsWith("[]")) {
            if (!value.isArray()) {
                mismatches.add(path + ": expected an array, got " + brief(value));
                return;
            }
            String item = type.substring(0, type.length() - 2);
            for (int i = 0; i < value.size(); i++) {
                checkPresent(path + "[" + i + "]", item, value.get(i), mismatches);
            }
            return;
        }
        boolean matches = switch (type) {
            case "string" -> value.isTextual();
            case "int" -> value.isIntegralNumber() && value.canConvertToLong();
            case "float" -> value.isNumber();
            case "bool" -> value.isBoolean();
            case "object" -> value.isObject();
            case "any" -> true;
            case "time" -> value.isTextual() && RFC_3339.matcher(value.asText()).matches();
            default -> {
                if (value.isObject()) {
                    checkModel(path, type, value, mismatches);
                }
                yield value.isObject();
            }
        };
        if (!matches) {
            mismatches.add(path + ": expected " + type + ", got " + brief(value));
        }
    }

    /** The model's members, those of the model it extends first, its own replacing them. */
    ObjectNode fields(String model) {
        JsonNode definition = models.get(model);
        if (definition == null) {
            throw new IllegalArgumentException("No model '" + model + "' in the expectations");
        }
        ObjectNode fields = definition.has("extends") ? fields(definition.get("extends").asText())
                : JsonNodeFactory.instance.objectNode();
        fields.setAll((ObjectNode) definition.get("fields"));
        return fields;
    }

    private void checkModel(String path, String model, JsonNode object, List<String> mismatches) {
        fields(model).fields().forEachRemaining(field -> {
            JsonNode spec = field.getValue();
            String at = path + "." + field.getKey();
            JsonNode value = object.get(field.getKey());
            if (value == null) {
                if (spec.path("required").asBoolean(true)) {
                    mismatches.add(at + ": missing (" + model + " reads it)");
                }
            } else if (value.isNull()) {
                if (!spec.path("nullable").asBoolean(false)) {
                    mismatches.add(at + ": null, but " + model + " needs a value");
                }
            } else {
                check(at, spec.get("type").asText(), value, mismatches);
                checkValues(at, spec.path("values"), value, mismatches);
            }
        });
    }

    private void checkPresent(String path, String type, JsonNode value, List<String> mismatches) {
        if (value.isNull()) {
            mismatches.add(path + ": null, expected " + type);
        } else {
            check(path, type, value, mismatches);
        }
    }

    private static void checkValues(String path, JsonNode values, JsonNode value, List<String> mismatches) {
        if (values.isMissingNode()) {
            return;
        }
        List<String> allowed = new ArrayList<>();
        values.forEach(allowedValue -> allowed.add(allowedValue.asText()));
        if (value.isArray()) {
            value.forEach(item -> checkValues(path + "[*]", values, item, mismatches));
        } else if (!allowed.contains(value.asText())) {
            mismatches.add(path + ": " + value + " is none of the values the SDK knows " + allowed);
        }
    }

    private static String brief(JsonNode value) {
        String text = value.toString();
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
