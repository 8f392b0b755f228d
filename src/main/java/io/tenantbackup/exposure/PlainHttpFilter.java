package io.tenantbackup.exposure;

import io.tenantbackup.ServiceConfig;
import io.tenantbackup.error.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses the API over plain HTTP to clients on other hosts unless TENANT_BACKUP_PLAIN_HTTP=any: there a man in the
 * middle can swap the public key of /api/v1/secret and read every password sent with it, and answers travel in
 * clear. Loopback stays open for the Go SDK, which speaks plain HTTP only.
 */
public class PlainHttpFilter {

    static final ErrorCode PLAIN_HTTP_REFUSED = new ErrorCode(403, "Security.Transport.PlainHttpRefused");

    @Inject
    ServiceConfig config;

    /** After the envelope's start (trace id), before authentication reads anything. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.USER + 50)
    public void refusePlainHttpFromOtherHosts(ContainerRequestContext request, HttpServerRequest http) {
        if (config.plainHttp() == PlainHttp.ANY || http.isSSL() || !request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        SocketAddress client = http.remoteAddress();
        if (client != null && client.hostAddress() != null && ExposureCheck.isLoopback(client.hostAddress())) {
            return;
        }
        throw PLAIN_HTTP_REFUSED.exception("Plain HTTP is accepted from this host only: use HTTPS (set"
                + " TENANT_BACKUP_TLS_CERT and TENANT_BACKUP_TLS_KEY on the service), or set TENANT_BACKUP_PLAIN_HTTP=any"
                + " to accept plain HTTP from the network.");
    }
}
