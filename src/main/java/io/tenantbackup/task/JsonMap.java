package io.tenantbackup.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON text form of the string maps stored in DAG params and sub-task additional data. */
final class JsonMap {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {
    };

    private JsonMap() {
    }

    static Map<String, String> parse(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return MAPPER.readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored task data is not a JSON object of strings: " + e.getMessage(), e);
        }
    }

    static String write(Map<String, String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write task data as JSON: " + e.getMessage(), e);
        }
    }

    static String with(String json, String key, String value) {
        Map<String, String> values = parse(json);
        values.put(key, value);
        return write(values);
    }
}
