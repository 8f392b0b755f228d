package io.tenantbackup.auth;

import io.tenantbackup.error.ServiceException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;

/**
 * Puts obshell's auth v2 in front of the generated resources: checks the X-OCS-Header of every protected /api/v1
 * route and swaps the encrypted body for its JSON, so the resources read plain JSON. Runs after route matching
 * (an unknown route stays a 404) and before every other filter that may act on the request.
 */
public class AuthenticationFilters {

    private static final String API = "/api/v1/";
    /** What obshell serves without its Verify middleware. */
    private static final Set<String> OPEN_ROUTES = Set.of("/api/v1/info", "/api/v1/status", "/api/v1/secret",
            "/api/v1/time");

    @Inject
    RequestAuthenticator authenticator;

    @Inject
    AuthFailures failures;

    /**
     * An authenticated body is base64 text whatever its Content-Type says (Python sends none, Go application/json);
     * once decrypted it is JSON, so declare it before the route's media type is matched.
     */
    @ServerRequestFilter(preMatching = true)
    public void declareJsonBody(ContainerRequestContext request) {
        if (headerName(request) != null) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request, HttpServerRequest http, SimpleResourceInfo operation)
            throws IOException {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(API) || OPEN_ROUTES.contains(path)) {
            return;
        }
        long receivedAt = System.currentTimeMillis();
        String name = headerName(request);
        try {
            if (name == null) {
                if (authenticator.passwordRequired()) {
                    throw AuthErrors.HEADER_NOT_FOUND.exception("Request header " + RequestAuthenticator.HEADER
                            + " not found");
                }
                return;
            }
            AuthHeader header = authenticator.verify(name, request.getHeaderString(name), http.uri(), receivedAt);
            byte[] body = request.getEntityStream().readAllBytes();
            request.setEntityStream(new ByteArrayInputStream(
                    body.length == 0 ? body : authenticator.decryptBody(header, body)));
        } catch (ServiceException refused) {
            SocketAddress client = http.remoteAddress();
            failures.record(client == null ? "unknown" : client.hostAddress(), request.getMethod(), path,
                    operation.getMethodName(), refused.code());
            throw refused;
        }
    }

    /** obshell takes the agent header when both are sent. */
    private static String headerName(ContainerRequestContext request) {
        if (request.getHeaderString(RequestAuthenticator.AGENT_HEADER) != null) {
            return RequestAuthenticator.AGENT_HEADER;
        }
        return request.getHeaderString(RequestAuthenticator.HEADER) != null ? RequestAuthenticator.HEADER : null;
    }
}
