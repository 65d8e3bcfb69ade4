package kz.qaqpa.gateway.http;

import java.util.Map;

/**
 * Thrown (or failed with) by a handler to answer with a problem. Extension members add
 * machine-readable detail, such as which readiness checks failed.
 */
public final class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, Object> extensions;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.type = type;
        this.extensions = Map.copyOf(extensions);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
