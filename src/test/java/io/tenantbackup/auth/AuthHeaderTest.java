package io.tenantbackup.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AuthHeaderTest {

    @Test
    void pythonAndGoMemberNamesBothParse() throws Exception {
        AuthHeader python = parse("{\"auth\": \"pw\", \"ts\": \"17\", \"uri\": \"/api/v1/x?a=True\", \"keys\": \"k\"}");
        assertEquals(new AuthHeader("pw", "17", "/api/v1/x?a=True", "k"), python);
        AuthHeader go = parse("{\"Auth\":\"pw\",\"Ts\":\"17\",\"Uri\":\"/api/v1/x\",\"Keys\":null}");
        assertEquals("pw", go.auth());
        assertNull(go.keys());
    }

    @Test
    void anythingButOneObjectOfStringsIsRefused() {
        for (String bad : new String[]{"", "[]", "\"auth\"", "{\"auth\":\"a\",\"AUTH\":\"b\"}", "{\"ts\":17}",
                "{\"auth\":\"a\"} {}", "{\"auth\":\"a\"", "{\"auth\":{}}"}) {
            assertThrows(IOException.class, () -> parse(bad), bad);
        }
    }

    @Test
    void toStringHidesPasswordAndKeys() {
        String text = new AuthHeader("secret-pw", "17", "/api/v1/x", "secret-keys").toString();
        assertEquals(-1, text.indexOf("secret"), text);
    }

    private static AuthHeader parse(String json) throws IOException {
        return AuthHeader.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
