package io.tenantbackup.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tenantbackup.api.Contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays one Pact v3 interaction against the running service and checks the response as Pact does: the status,
 * then the body, where the expected body is a minimum (extra fields are allowed) and matching rules relax values
 * to a type, an integer or a regex. Only ProviderState generators are supported, on the request path and on
 * top-level JSON paths of the request and response bodies. Responses are also validated against the OpenAPI
 * contract; requests are not, because a consumer may send what the contract only describes loosely.
 */
final class PactVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATE_VALUE = Pattern.compile("\\$\\{(\\w+)}");

    private PactVerifier() {
    }

    /** Returns the mismatches; empty means the provider honours the interaction. */
    static List<String> verify(JsonNode interaction, Map<String, String> stateValues) {
        JsonNode request = interaction.get("request");
        JsonNode expected = interaction.get("response");
        String path = request.path("generators").has("path")
                ? expand(request.at("/generators/path/expression").asText(), stateValues)
                : request.get("path").asText();
        RequestSpecification call = Contract.badRequest().urlEncodingEnabled(false);
        request.path("query").fields().forEachRemaining(query ->
                query.getValue().forEach(value -> call.queryParam(query.getKey(), value.asText())));
        if (request.has("body")) {
            call.body(generated(request.get("body"), request.path("generators").path("body"), stateValues).toString());
        }
        Response response = call.request(request.get("method").asText(), path);

        List<String> mismatches = new ArrayList<>();
        if (response.statusCode() != expected.get("status").asInt()) {
            mismatches.add("status: expected " + expected.get("status") + ", got " + response.statusCode()
                    + " with " + response.asString());
            return mismatches;
        }
        if (expected.has("body")) {
            JsonNode body = generated(expected.get("body"), expected.path("generators").path("body"), stateValues);
            JsonNode rules = expected.path("matchingRules").path("body");
            try {
                match("$", body, JSON.readTree(response.asString()), rules, false, mismatches);
            } catch (Exception e) {
                mismatches.add("body is not JSON: " + response.asString());
            }
        }
        return mismatches;
    }

    /**
     * {@code byType} is Pact's cascade: below a "type" rule, values only need the expected JSON type and arrays
     * hold any number of items like the first expected one.
     */
    private static void match(String path, JsonNode expected, JsonNode actual, JsonNode rules, boolean byType,
                              List<String> mismatches) {
        if (actual == null || actual.isMissingNode()) {
            mismatches.add(path + ": missing, expected " + expected);
            return;
        }
        JsonNode rule = rules.path(path).path("matchers").path(0);
        String matcher = rule.isMissingNode() ? (byType ? "type" : "equality") : rule.get("match").asText();
        switch (matcher) {
            case "equality" -> matchEqual(path, expected, actual, rules, mismatches);
            case "type" -> matchType(path, rule.path("min").asInt(0), expected, actual, rules, mismatches);
            case "integer" -> {
                if (!actual.isIntegralNumber()) {
                    mismatches.add(path + ": expected an integer, got " + actual);
                }
            }
            case "regex" -> {
                if (!actual.isValueNode() || !actual.asText().matches(rule.get("regex").asText())) {
                    mismatches.add(path + ": expected to match /" + rule.get("regex").asText() + "/, got " + actual);
                }
            }
            default -> mismatches.add(path + ": matcher '" + matcher + "' is not supported");
        }
    }

    private static void matchEqual(String path, JsonNode expected, JsonNode actual, JsonNode rules,
                                   List<String> mismatches) {
        if (expected.isObject()) {
            expected.fields().forEachRemaining(field -> match(path + "." + field.getKey(), field.getValue(),
                    actual.get(field.getKey()), rules, false, mismatches));
        } else if (expected.isArray() && actual.isArray() && actual.size() == expected.size()) {
            for (int i = 0; i < expected.size(); i++) {
                match(path + "[" + i + "]", expected.get(i), actual.get(i), rules, false, mismatches);
            }
        } else if (!expected.equals(actual)) {
            mismatches.add(path + ": expected " + expected + ", got " + actual);
        }
    }

    private static void matchType(String path, int min, JsonNode expected, JsonNode actual, JsonNode rules,
                                  List<String> mismatches) {
        if (expected.getNodeType() != actual.getNodeType()) {
            mismatches.add(path + ": expected a " + expected.getNodeType() + ", got " + actual);
        } else if (expected.isArray()) {
            if (actual.size() < min) {
                mismatches.add(path + ": expected at least " + min + " items, got " + actual.size());
            }
            actual.forEach(item -> match(path + "[*]", expected.get(0), item, rules, true, mismatches));
        } else if (expected.isObject()) {
            expected.fields().forEachRemaining(field -> match(path + "." + field.getKey(), field.getValue(),
                    actual.get(field.getKey()), rules, true, mismatches));
        }
    }

    /** The body with its ProviderState generators applied (top-level and nested object paths like $.data.id). */
    private static JsonNode generated(JsonNode body, JsonNode generators, Map<String, String> stateValues) {
        JsonNode copy = body.deepCopy();
        generators.fields().forEachRemaining(generator -> {
            String[] keys = generator.getKey().substring(2).split("\\.");
            JsonNode parent = copy;
            for (int i = 0; i < keys.length - 1; i++) {
                parent = parent.get(keys[i]);
            }
            ((ObjectNode) parent).set(keys[keys.length - 1],
                    new TextNode(expand(generator.getValue().get("expression").asText(), stateValues)));
        });
        return copy;
    }

    private static String expand(String expression, Map<String, String> stateValues) {
        Matcher matcher = STATE_VALUE.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = stateValues.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("Provider state gave no value for ${" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }
}
