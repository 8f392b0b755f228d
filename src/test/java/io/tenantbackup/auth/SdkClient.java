package io.tenantbackup.auth;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.path.json.JsonPath;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A client that authenticates as the official SDKs do (obshell auth v2), byte for byte where it matters:
 * Python ({@code obshell/auth/password.py}): lowercase members {@code auth, ts, uri, keys} written by json.dumps
 * (", " and ": " separators, non-ASCII escaped), keys always sent, the encrypted body without a Content-Type.
 * Go ({@code sdk/auth/passwod_v2.go}): members {@code Auth, Ts, Uri, Keys} written compactly, {@code "Keys":null}
 * without a body, Content-Type application/json. Both: header JSON in 53-byte chunks, each RSA PKCS#1 v1.5
 * encrypted, concatenated, base64; body AES-128-CBC/PKCS#7 with a random key and IV, base64. Bodies given as JSON
 * trees are written as each SDK's JSON encoder writes them (Python json.dumps, Go encoding/json).
 */
public final class SdkClient {

    public enum Style { PYTHON, GO }

    /** What the header says; tests change a field to make a bad header. */
    record Claims(String auth, String ts, String uri) {
        Claims withAuth(String value) {
            return new Claims(value, ts, uri);
        }

        Claims withTs(long value) {
            return new Claims(auth, Long.toString(value), uri);
        }

        Claims withUri(String value) {
            return new Claims(auth, ts, value);
        }
    }

    /** A request ready to send; {@link #send()} may be called again to replay it unchanged. */
    record Prepared(HttpClient http, String method, URI target, String headerName, String headerValue, byte[] body,
                    boolean json) {
        Prepared withHeaderValue(String value) {
            return new Prepared(http, method, target, headerName, value, body, json);
        }

        Prepared withBody(byte[] value) {
            return new Prepared(http, method, target, headerName, headerValue, value, json);
        }

        public Answer send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (headerValue != null) {
                builder.header(headerName, headerValue);
            }
            if (json) {
                builder.header("Content-Type", "application/json");
            }
            try {
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), new JsonPath(response.body()), response.body(),
                        response.headers().firstValue("Content-Type").orElse(null));
            } catch (Exception e) {
                throw new AssertionError(method + " " + target + " failed", e);
            }
        }
    }

    /** An answer as received: status, body parsed and as text, and its Content-Type (null when none). */
    public record Answer(int status, JsonPath json, String text, String contentType) {
        String errCode() {
            return json.getString("error.errCode");
        }

        Integer code() {
            return json.get("error.code");
        }
    }

    static final int CHUNK = 53;
    static final String HEADER = "X-OCS-Header";
    static final String AGENT_HEADER = "X-OCS-Agent-Header";
    /** HTTP/1.1 as Python's requests and Go's net/http speak it (the JDK's default would try an h2c upgrade). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** json.dumps defaults: ", " and ": " separators, non-ASCII as \\uxxxx (lower-case hex). */
    private static final ObjectMapper PYTHON_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).defaultPrettyPrinter(new PythonSeparators()).build();
    private static final ObjectMapper GO_JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final Style style;
    private final String password;
    private final String headerName;
    private final PublicKey publicKey;

    private SdkClient(HttpClient http, String base, Style style, String password, String headerName) {
        this.http = http;
        this.base = base;
        this.style = style;
        this.password = password;
        this.headerName = headerName;
        this.publicKey = fetchPublicKey(http, base);
    }

    public static SdkClient of(Style style, String base, String password) {
        return new SdkClient(HTTP, base, style, password, HEADER);
    }

    static SdkClient python(String base, String password) {
        return python(HTTP, base, password);
    }

    /** Python over the given client, e.g. one that trusts the service's certificate (ProtocolOptions.https). */
    static SdkClient python(HttpClient http, String base, String password) {
        return new SdkClient(http, base, Style.PYTHON, password, HEADER);
    }

    /** Python with {@code agent_password}, which it sends in X-OCS-Agent-Header when /info says security. */
    static SdkClient pythonAgent(String base, String agentPassword) {
        return new SdkClient(HTTP, base, Style.PYTHON, agentPassword, AGENT_HEADER);
    }

    static SdkClient go(String base, String password) {
        return go(HTTP, base, password);
    }

    /** Go over the given client; the Go SDK itself fetches /info and /secret over http:// whatever its requests use. */
    static SdkClient go(HttpClient http, String base, String password) {
        return new SdkClient(http, base, Style.GO, password, HEADER);
    }

    /** A GET without any authentication header, as the SDKs call /info and /secret. */
    public static Answer unauthenticatedGet(String base, String target) {
        return unauthenticatedGet(HTTP, base, target);
    }

    static Answer unauthenticatedGet(HttpClient http, String base, String target) {
        return new Prepared(http, "GET", URI.create(base + target), HEADER, null, null, false).send();
    }

    /** The PKCS#1 key of /api/v1/secret, parsed as the Go SDK does (x509.ParsePKCS1PublicKey). */
    static RSAPublicKey fetchPublicKey(String base) {
        return fetchPublicKey(HTTP, base);
    }

    static RSAPublicKey fetchPublicKey(HttpClient http, String base) {
        Answer secret = unauthenticatedGet(http, base, "/api/v1/secret");
        byte[] der = Base64.getDecoder().decode(secret.json().getString("data.public_key"));
        org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
        } catch (Exception e) {
            throw new AssertionError("public key is not PKCS#1", e);
        }
    }

    /** The claims an SDK puts in the header for this request target, with the SDKs' default 60 s lifetime. */
    Claims claims(String target) {
        return new Claims(password, Long.toString(System.currentTimeMillis() / 1000 + 60), target);
    }

    Answer call(String method, String target, String jsonBody) {
        return prepare(method, target, jsonBody, claims(target)).send();
    }

    /** A request as this client's SDK sends it, the body (null: none) written by the SDK's JSON encoder. */
    public Answer send(String method, String target, JsonNode body) {
        return call(method, target, body == null ? null : json(style, body));
    }

    Answer get(String target) {
        return call("GET", target, null);
    }

    Prepared prepare(String method, String target, String jsonBody, Claims claims) {
        byte[] keyAndIv = new byte[32];
        RANDOM.nextBytes(keyAndIv);
        byte[] body = jsonBody == null ? null : encryptBody(jsonBody, keyAndIv);
        String keys = style == Style.GO && body == null ? null : Base64.getEncoder().encodeToString(keyAndIv);
        return new Prepared(http, method, URI.create(base + target), headerName,
                encryptHeader(headerJson(claims, keys)), body, style == Style.GO);
    }

    String headerJson(Claims claims, String keys) {
        boolean python = style == Style.PYTHON;
        ObjectNode members = JsonNodeFactory.instance.objectNode();
        members.put(python ? "auth" : "Auth", claims.auth());
        members.put(python ? "ts" : "Ts", claims.ts());
        members.put(python ? "uri" : "Uri", claims.uri());
        members.put(python ? "keys" : "Keys", keys);
        return json(style, members);
    }

    /** The JSON text that SDK writes for {@code value}, members in the tree's order. */
    public static String json(Style style, JsonNode value) {
        try {
            if (style == Style.PYTHON) {
                return PYTHON_JSON.writer().withDefaultPrettyPrinter().writeValueAsString(value);
            }
            // encoding/json escapes these three for HTML; they only ever occur inside strings
            return GO_JSON.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The separators of Python's json.dumps without indent. */
    private static final class PythonSeparators extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator generator) throws java.io.IOException {
            generator.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator generator) throws java.io.IOException {
            generator.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator generator) throws java.io.IOException {
            generator.writeRaw(", ");
        }
    }

    String encryptHeader(String json) {
        return encryptHeader(json.getBytes(StandardCharsets.UTF_8));
    }

    String encryptHeader(byte[] plain) {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, publicKey);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int offset = 0; offset < plain.length; offset += CHUNK) {
                out.writeBytes(rsa.doFinal(Arrays.copyOfRange(plain, offset, Math.min(plain.length, offset + CHUNK))));
            }
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encryptBody(String json, byte[] keyAndIv) {
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyAndIv, 0, 16, "AES"),
                    new IvParameterSpec(keyAndIv, 16, 16));
            return Base64.getEncoder().encode(aes.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
