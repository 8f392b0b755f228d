package io.tenantbackup.api;

import io.tenantbackup.api.model.Envelope;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Wraps every /api/v1 answer in obshell's envelope, once, so resources return plain data. */
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
        response.setEntity(Envelopes.success(request, status, entity), null, MediaType.APPLICATION_JSON_TYPE);
    }
}
