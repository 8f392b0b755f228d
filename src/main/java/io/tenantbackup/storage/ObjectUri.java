package io.tenantbackup.storage;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code s3|oss|cos://bucket/key?host=…&access_id=…&access_key=…} parsed as obshell's {@code parseParams} does: the
 * bucket is what comes before the first '/', the key what follows up to the '?', without trailing '/'; a query is
 * required; '+' in the query is a literal '+' (secret keys often hold one). Unknown parameters are ignored.
 * Presence of {@code host} and the keys is not checked here (as in obshell): the write check reports it.
 *
 * @param region         {@code s3_region}: set = AWS S3 in that region; empty = an S3-compatible server at {@code host}
 * @param forcePathStyle {@code force_path_style=true}: {@code host/bucket/key} instead of {@code bucket.host/key}
 */
record ObjectUri(String scheme, String bucket, String key, String host, String accessId, String accessKey,
                 String region, String deleteMode, boolean forcePathStyle, String appId) {

    static final String HOST = "host";
    static final String ACCESS_ID = "access_id";
    static final String ACCESS_KEY = "access_key";
    static final String S3_REGION = "s3_region";
    static final String DELETE_MODE = "delete_mode";
    static final String FORCE_PATH_STYLE = "force_path_style";
    static final String APP_ID = "appid";

    static ObjectUri parse(String scheme, String raw) {
        String rest = raw.substring((scheme + "://").length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw StorageErrors.invalid("invalid url format", raw);
        }
        String bucket = rest.substring(0, slash);
        String pathAndQuery = rest.substring(slash + 1);
        int queryStart = pathAndQuery.indexOf('?');
        if (queryStart < 0 || queryStart == pathAndQuery.length() - 1) {
            throw StorageErrors.invalid("invalid url format, missing query params", raw);
        }
        String key = pathAndQuery.substring(0, queryStart).replaceAll("/+$", "");
        Map<String, String> params = query(pathAndQuery.substring(queryStart + 1).replace("+", "%2B"), raw);
        String deleteMode = params.getOrDefault(DELETE_MODE, "");
        if (!deleteMode.isEmpty() && !deleteMode.equals("delete") && !deleteMode.equals("tagging")) {
            throw StorageErrors.invalid("invalid delete_mode '" + deleteMode + "', it must be delete or tagging", raw);
        }
        return new ObjectUri(scheme, bucket, key, params.getOrDefault(HOST, ""), params.getOrDefault(ACCESS_ID, ""),
                params.getOrDefault(ACCESS_KEY, ""), params.getOrDefault(S3_REGION, ""), deleteMode,
                "true".equalsIgnoreCase(params.get(FORCE_PATH_STYLE)), params.getOrDefault(APP_ID, ""));
    }

    /** obshell's {@code GenerateURIWithoutSecret}, plus {@code force_path_style} which changes where data goes. */
    String redacted() {
        StringBuilder out = new StringBuilder(scheme).append("://").append(bucket).append('/').append(key)
                .append('?').append(HOST).append('=').append(host);
        append(out, S3_REGION, region);
        append(out, APP_ID, appId);
        append(out, DELETE_MODE, deleteMode);
        append(out, FORCE_PATH_STYLE, forcePathStyle ? "true" : "");
        return out.toString();
    }

    /** The object key of a name below this URI's key. */
    String objectKey(String name) {
        if (name.isEmpty()) {
            return key;
        }
        return key.isEmpty() ? name : key + "/" + name;
    }

    @Override
    public String toString() {
        return redacted();
    }

    private static void append(StringBuilder out, String name, String value) {
        if (!value.isEmpty()) {
            out.append('&').append(name).append('=').append(value);
        }
    }

    /** Go's {@code url.ParseQuery}: '&'-separated pairs, %-escapes decoded, the first value of a name wins. */
    private static Map<String, String> query(String query, String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw StorageErrors.invalid("invalid url format, bad escape in query params", raw);
            }
        }
        return params;
    }
}
