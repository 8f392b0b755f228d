package io.tenantbackup.api;

import io.tenantbackup.api.model.Envelope;
import io.tenantbackup.error.CommonErrors;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Wraps every /api/v1 answer in obshell's envelope, once, so resources return plain data. An error that reached
 * here without an envelope (from a framework component) still leaves as an error envelope: the SDKs read any
 * status of 400 and above as JSON with an {@code error} member.
 */
public class EnvelopeFilters {

    private static final Logger LOG = Logger.getLogger(EnvelopeFilters.class);

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
        Envelope envelope;
        if (status >= 500) {
            LOG.errorf("Unexpected %d answer on %s %s, trace id %s: %s", status, request.getMethod(),
                    request.getUriInfo().getPath(), Envelopes.traceId(request), entity);
            envelope = Envelopes.failure(request, CommonErrors.UNEXPECTED, ErrorMappers.unexpectedMessage(request));
        } else if (status >= 400) {
            envelope = Envelopes.failure(request, ErrorMappers.codeForStatus(status), String.valueOf(
                    entity != null ? entity : response.getStatusInfo().getReasonPhrase()));
        } else {
            envelope = Envelopes.success(request, status, entity);
        }
        response.setEntity(envelope, null, MediaType.APPLICATION_JSON_TYPE);
    }
}
