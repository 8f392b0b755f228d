package io.tenantbackup.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.error.ServiceException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into obshell's error envelope with its HTTP status and errCode. An unexpected failure answers
 * a generic message with the trace id only: exception names and SQL text go to the service log, under that id.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response serviceError(ContainerRequestContext request, ServiceException e) {
        return answer(request, e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadableBody(ContainerRequestContext request, JsonProcessingException e) {
        return answer(request, CommonErrors.BIND_JSON_FAILED, "Bind JSON failed: " + e.getOriginalMessage());
    }

    /** Declared separately: Quarkus' own mapper for this subtype would otherwise win over the one above. */
    @ServerExceptionMapper
    public Response mismatchedBody(ContainerRequestContext request, MismatchedInputException e) {
        return unreadableBody(request, e);
    }

    /** obshell answers an unknown route or method with 404 Common.NotFound. */
    @ServerExceptionMapper({NotFoundException.class, NotAllowedException.class})
    public Response unknownRoute(ContainerRequestContext request) {
        return answer(request, CommonErrors.NOT_FOUND, "Element not found: 404 not found");
    }

    @ServerExceptionMapper
    public Response webError(ContainerRequestContext request, WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 || status == 415) {
            return answer(request, CommonErrors.BIND_JSON_FAILED, "Bind JSON failed: " + e.getMessage());
        }
        if (status >= 500) {
            return unexpected(request, e);
        }
        return answer(request, codeForStatus(status), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(ContainerRequestContext request, Exception e) {
        LOG.errorf(e, "Unexpected failure on %s %s, trace id %s", request.getMethod(), request.getUriInfo().getPath(),
                Envelopes.traceId(request));
        return answer(request, CommonErrors.UNEXPECTED, unexpectedMessage(request));
    }

    static String unexpectedMessage(ContainerRequestContext request) {
        return "Unexpected error; the service log has the details under trace id " + Envelopes.traceId(request);
    }

    static ErrorCode codeForStatus(int status) {
        if (status == 404 || status == 405) {
            return CommonErrors.NOT_FOUND;
        }
        return status >= 500 ? CommonErrors.UNEXPECTED : new ErrorCode(status, "Common.IllegalArgument");
    }

    private static Response answer(ContainerRequestContext request, ErrorCode code, String message) {
        return Response.status(code.httpStatus())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Envelopes.failure(request, code, message))
                .build();
    }
}
