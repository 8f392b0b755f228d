package io.tenantbackup.api;

import io.tenantbackup.api.model.Envelope;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Wraps every /api/v1 answer in obshell's envelope, once, so resources return plain data. An error that reached
 * here without an envelope (from a framework component) still leaves as an error envelope: the SDKs read any
 * status of 400 and above as JSON with an {@code error} member.
 */
public class EnvelopeFilters {

    @ServerRequestFilter(preMatching = true)
    public void start(ContainerRequestContext request) {
        Envelopes.begin(request);
    }

    @ServerResponseFilter
    public void wrap(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        Object entity = response.getEntity();
        if (entity instanceof Envelope) {
            return;
        }
        int status = response.getStatus();
        if (status == 204) {
            return;
        }
        Envelope envelope = status >= 400
                ? Envelopes.failure(request, ErrorMappers.codeForStatus(status), String.valueOf(
                        entity != null ? entity : response.getStatusInfo().getReasonPhrase()))
                : Envelopes.success(request, status, entity);
        response.setEntity(envelope, null, MediaType.APPLICATION_JSON_TYPE);
    }
}
