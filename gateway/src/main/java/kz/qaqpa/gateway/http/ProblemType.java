package kz.qaqpa.gateway.http;

import java.net.URI;

/**
 * The kinds of problem the API answers with (RFC 9457). A type URI never changes once published:
 * clients branch on it. The list is also in the OpenAPI document and the README.
 */
public enum ProblemType {
    BAD_REQUEST(400, "bad-request", "Bad request"),
    UNAUTHORIZED(401, "unauthorized", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable representation"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    INTERNAL(500, "internal-error", "Internal error"),
    NOT_READY(503, "not-ready", "Service not ready");

    private static final String PREFIX = "urn:qaqpa:problem:";

    private final int status;
    private final URI type;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.type = URI.create(PREFIX + slug);
        this.title = title;
    }

    public int status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }
}
