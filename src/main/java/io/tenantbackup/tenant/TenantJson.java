package io.tenantbackup.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON text of the tenant row's map columns. */
final class TenantJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TenantJson() {
    }

    static String write(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write tenant settings as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> readStringMap(String json) {
        return read(json, new TypeReference<LinkedHashMap<String, String>>() { });
    }

    static Map<String, Object> readObjectMap(String json) {
        return read(json, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Tenant row holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
