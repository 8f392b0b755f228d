package io.tenantbackup.auth;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** One JSON document, nothing before or after it, no duplicate members: what decrypted headers and bodies must be. */
final class StrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /** The document; an IOException (without the input in its message) when the bytes are not one. */
    static JsonNode parse(byte[] utf8) throws IOException {
        JsonNode node = MAPPER.readTree(utf8);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty document");
        }
        return node;
    }
}
