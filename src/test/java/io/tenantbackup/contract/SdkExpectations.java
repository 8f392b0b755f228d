package io.tenantbackup.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenantbackup.auth.SdkClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one SDK expects of this service, read from its own sources at one commit and written down in
 * {@code src/test/resources/sdk-contracts/<sdk>@<commit>.json}: the requests its methods send (method, path, query,
 * body as the SDK builds it) and the response members its models read, with their types.
 */
final class SdkExpectations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    /** A request of one call, ready for {@link SdkClient}: the body is the JSON tree the SDK encodes. */
    record Request(String method, String target, JsonNode body, boolean authenticated) {
    }

    private final String resource;
    private final JsonNode file;
    private final SdkModels models;

    private SdkExpectations(String resource, JsonNode file) {
        this.resource = resource;
        this.file = file;
        this.models = new SdkModels(file.get("models"));
    }

    static SdkExpectations load(String resource) {
        try (InputStream in = SdkExpectations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SDK expectations " + resource + " are not on the test class path");
            }
            return new SdkExpectations(resource, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("SDK expectations " + resource + " cannot be read", e);
        }
    }

    /** The SDK and the commit its expectations were read from, e.g. obshell-sdk-go@3bf700d. */
    String source() {
        return file.get("sdk").asText() + "@" + file.get("commit").asText().substring(0, 7);
    }

    SdkClient.Style style() {
        return file.get("sdk").asText().endsWith("-go") ? SdkClient.Style.GO : SdkClient.Style.PYTHON;
    }

    Set<String> calls() {
        Set<String> ids = new LinkedHashSet<>();
        file.get("calls").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    boolean has(String call) {
        return file.get("calls").has(call);
    }

    /** The request of {@code call} with its ${placeholders} replaced by {@code values}. */
    Request request(String call, Map<String, ?> values) {
        JsonNode spec = call(call);
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        spec.path("query").fields().forEachRemaining(parameter -> query.add(
                URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(parameter.getValue().asText(), StandardCharsets.UTF_8)));
        JsonNode body = spec.has("body") ? filled(spec.get("body"), values) : null;
        return new Request(spec.get("method").asText(), text(spec.get("path").asText(), values) + query, body,
                spec.path("auth").asBoolean(true));
    }

    /**
     * How {@code answer} differs from what the SDK reads after {@code call}: the status, the Content-Type the SDK
     * decodes, the envelope and the {@code data} or {@code error} model. Empty means the SDK gets what it needs.
     */
    List<String> mismatches(String call, SdkClient.Answer answer) {
        JsonNode expected = call(call).get("response");
        List<String> mismatches = new ArrayList<>();
        if (answer.status() != expected.get("status").asInt()) {
            mismatches.add("status: expected " + expected.get("status") + ", got " + answer.status() + " with "
                    + answer.text());
            return mismatches;
        }
        JsonNode contentType = file.at("/transport/response_content_type");
        if (!contentType.isMissingNode()
                && (answer.contentType() == null || !answer.contentType().startsWith(contentType.asText()))) {
            mismatches.add("Content-Type: expected " + contentType.asText() + ", got " + answer.contentType());
        }
        JsonNode root;
        try {
            root = JSON.readTree(answer.text());
        } catch (IOException e) {
            mismatches.add("the body is not JSON: " + answer.text());
            return mismatches;
        }
        JsonNode envelope = file.at("/envelope/fields");
        if (!envelope.isMissingNode()) {
            models.check("$", envelope.asText(), root, mismatches);
        }
        for (String member : List.of("data", "error")) {
            if (expected.has(member)) {
                JsonNode value = root.get(member);
                if (value == null || value.isNull()) {
                    mismatches.add("$." + member + ": missing, the SDK reads " + expected.get(member).asText());
                } else {
                    models.check("$." + member, expected.get(member).asText(), value, mismatches);
                }
            }
        }
        return mismatches;
    }

    SdkModels models() {
        return models;
    }

    private JsonNode call(String call) {
        JsonNode spec = file.get("calls").get(call);
        if (spec == null) {
            throw new IllegalArgumentException("No call '" + call + "' in " + resource);
        }
        return spec;
    }

    /** A copy of {@code template} where a string that is exactly ${name} takes the value's JSON type. */
    private static JsonNode filled(JsonNode template, Map<String, ?> values) {
        if (template.isTextual()) {
            Matcher whole = PLACEHOLDER.matcher(template.asText());
            return whole.matches() ? JSON.valueToTree(value(values, whole.group(1)))
                    : JSON.valueToTree(text(template.asText(), values));
        }
        if (template.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            template.fields().forEachRemaining(member -> copy.set(member.getKey(), filled(member.getValue(), values)));
            return copy;
        }
        if (template.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            template.forEach(item -> copy.add(filled(item, values)));
            return copy;
        }
        return template;
    }

    private static String text(String template, Map<String, ?> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value(values, placeholder.group(1)))));
        }
        return placeholder.appendTail(out).toString();
    }

    private static Object value(Map<String, ?> values, String name) {
        if (!values.containsKey(name)) {
            throw new IllegalStateException("No value for ${" + name + "}");
        }
        return values.get(name);
    }
}
