package io.tenantbackup.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The decrypted X-OCS-Header: {@code auth} (password), {@code ts} (expiry, Unix seconds as text), {@code uri} (raw
 * request target) and {@code keys} (base64 of AES key and IV; null without a body). Member names match
 * case-insensitively as in Go (Python sends {@code auth}, Go {@code Auth}); a JSON null equals an absent member.
 */
record AuthHeader(String auth, String ts, String uri, String keys) {

    private static final String[] MEMBERS = {"auth", "ts", "uri", "keys"};

    /** Parses the JSON object; an IOException for anything else, a member twice, or a member that is not text. */
    static AuthHeader parse(byte[] json) throws IOException {
        JsonNode node = StrictJson.parse(json);
        if (!node.isObject()) {
            throw new IOException("header is not a JSON object");
        }
        Map<String, String> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (values.containsKey(name)) {
                throw new IOException("header member repeated");
            }
            JsonNode value = field.getValue();
            if (!value.isNull() && !value.isTextual()) {
                throw new IOException("header member is not a string");
            }
            values.put(name, value.isNull() ? null : value.textValue());
        }
        return new AuthHeader(orEmpty(values.get(MEMBERS[0])), orEmpty(values.get(MEMBERS[1])),
                orEmpty(values.get(MEMBERS[2])), values.get(MEMBERS[3]));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** Never the password or the keys. */
    @Override
    public String toString() {
        return "AuthHeader[uri=" + uri + ", ts=" + ts + "]";
    }
}
