package io.tenantbackup.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** The JSON text form of a DAG's outputs: one JSON object, a member per {@link NodeOutput} a node published. */
final class NodeOutputs {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private NodeOutputs() {
    }

    static <T> String with(String json, NodeOutput<T> output, T value) {
        ObjectNode outputs = parse(json);
        outputs.set(output.name(), MAPPER.valueToTree(value));
        try {
            return MAPPER.writeValueAsString(outputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the DAG's outputs as JSON: " + e.getMessage(), e);
        }
    }

    static <T> Optional<T> read(String json, NodeOutput<T> output) {
        ObjectNode outputs = parse(json);
        if (!outputs.hasNonNull(output.name())) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.treeToValue(outputs.get(output.name()), output.type()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The DAG's output '" + output.name() + "' is not a "
                    + output.type().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode parse(String json) {
        if (json == null || json.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Stored DAG outputs are not a JSON object: " + e.getMessage(), e);
        }
    }
}
