package io.tenantbackup.api;

import io.tenantbackup.api.model.ApiError;
import io.tenantbackup.api.model.Envelope;
import io.tenantbackup.error.ErrorCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Builds obshell's response envelope. Request timing and the trace id live on the request context. */
public final class Envelopes {

    static final String TRACE_HEADER = "X-OBSHELL-Trace-ID";
    private static final String STARTED_AT = "tenant-backup.started-at";
    private static final String TRACE_ID = "tenant-backup.trace-id";
    /** A client's trace id is written to the log, so it may not carry line breaks or other text. */
    private static final Pattern CLIENT_TRACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Envelopes() {
    }

    /** A 200 whose data the envelope filter wraps. */
    public static Response ok(Object data) {
        return Response.ok(data, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** A 200 without data. */
    public static Response ok() {
        return Response.ok().type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    static void begin(ContainerRequestContext request) {
        request.setProperty(STARTED_AT, System.nanoTime());
        String trace = request.getHeaderString(TRACE_HEADER);
        request.setProperty(TRACE_ID, trace != null && CLIENT_TRACE.matcher(trace).matches()
                ? trace : HexFormat.of().formatHex(randomBytes(8)));
    }

    /** The request's trace id, as its envelope carries it. */
    static String traceId(ContainerRequestContext request) {
        return (String) request.getProperty(TRACE_ID);
    }

    static Envelope success(ContainerRequestContext request, int status, Object data) {
        return base(request, status).successful(true).data(data);
    }

    static Envelope failure(ContainerRequestContext request, ErrorCode code, String message) {
        return base(request, code.httpStatus()).successful(false)
                .error(new ApiError().code(code.legacyCode() == 0 ? null : code.legacyCode())
                        .errCode(code.errCode()).message(message));
    }

    private static Envelope base(ContainerRequestContext request, int status) {
        Object started = request == null ? null : request.getProperty(STARTED_AT);
        long durationMs = started == null ? 0 : (System.nanoTime() - (Long) started) / 1_000_000;
        Object trace = request == null ? null : request.getProperty(TRACE_ID);
        return new Envelope()
                .timestamp(OffsetDateTime.now())
                .duration(durationMs)
                .status(status)
                .traceId(trace == null ? HexFormat.of().formatHex(randomBytes(8)) : (String) trace);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
