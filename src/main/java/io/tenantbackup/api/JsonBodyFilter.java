package io.tenantbackup.api;

import io.tenantbackup.error.ErrorCode;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * A POST, PUT or PATCH to the API must say its body is JSON, even an empty body. A browser sends a cross-origin
 * POST without a preflight only with no body or a form or text/plain body, so such a request from a web page a
 * user visits cannot start a backup. The SDKs are not affected: Go always sends application/json, Python
 * authenticates every call, and an authenticated body is declared JSON once decrypted (AuthenticationFilters).
 * obshell does not check the Content-Type; 415 Common.UnsupportedMediaType is ours.
 */
public class JsonBodyFilter {

    static final ErrorCode UNSUPPORTED_MEDIA_TYPE = new ErrorCode(415, "Common.UnsupportedMediaType");
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    /** After AuthenticationFilters#declareJsonBody, which runs at the default priority. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 100)
    public void requireJson(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        if (!isJson(request)) {
            String sent = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
            throw UNSUPPORTED_MEDIA_TYPE.exception("Content-Type must be application/json for " + request.getMethod()
                    + " " + request.getUriInfo().getPath() + ", got " + (sent == null ? "none" : "'" + sent + "'")
                    + "; send the body as JSON ({} when there is nothing to say)");
        }
    }

    private static boolean isJson(ContainerRequestContext request) {
        try {
            MediaType type = request.getMediaType();
            return type != null && type.getType().equalsIgnoreCase("application")
                    && type.getSubtype().equalsIgnoreCase("json");
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
