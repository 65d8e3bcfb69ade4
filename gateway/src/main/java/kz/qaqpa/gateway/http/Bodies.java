package kz.qaqpa.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kz.qaqpa.blocklist.model.log.ReceiptKey;

/** Reading JSON request bodies strictly, and answering JSON. */
public final class Bodies {

    private Bodies() {
    }

    /** The body as a JSON object with no field outside {@code allowed}; 415 or 400 otherwise. */
    public static JsonObject object(RoutingContext ctx, Set<String> allowed) {
        String type = Optional.ofNullable(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).orElse("");
        if (!type.split(";")[0].strip().equalsIgnoreCase("application/json")) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send application/json");
        }
        Buffer body = ctx.body().buffer();
        JsonObject object;
        try {
            object = body == null ? null : body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            object = null;
        }
        if (object == null) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "the body is not a JSON object");
        }
        for (String field : object.fieldNames()) {
            if (!allowed.contains(field)) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "unknown field '" + field + "'; the fields are "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        return object;
    }

    public static String text(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'" + field + "' must be text");
        }
        return (String) value;
    }

    public static Optional<Boolean> flag(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof Boolean)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'" + field + "' must be true or false");
        }
        return Optional.ofNullable((Boolean) value);
    }

    public static <E extends Enum<E>> E constant(Class<E> type, Object value, String field) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new ProblemException(ProblemType.BAD_REQUEST, "'" + field + "' must be one of "
                + Arrays.toString(type.getEnumConstants()));
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }

    /** A public key registered for receipts is this long at most (an EC P-256 key in PEM is about 180 bytes). */
    public static final int MAX_KEY_BYTES = 1_000;

    /**
     * The request's body as an EC public key in PEM ({@code ID.pub}, as a holder made it); a 400
     * naming {@code whose} for anything else.
     */
    public static String publicKeyPem(RoutingContext ctx, String whose) {
        String pem = ctx.body().buffer() == null || ctx.body().length() > MAX_KEY_BYTES ? ""
                : ctx.body().buffer().toString(StandardCharsets.UTF_8);
        try {
            ReceiptKey.publicKey(pem);
            return pem;
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "send " + whose + " public key as PEM (-----BEGIN PUBLIC KEY-----), "
                    + "at most " + MAX_KEY_BYTES + " bytes: the file ID.pub it made");
        }
    }
}
