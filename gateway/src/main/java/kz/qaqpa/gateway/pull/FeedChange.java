package kz.qaqpa.gateway.pull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import kz.qaqpa.directives.blocklist.Change;

/**
 * One change of the list as the feed of changes shows it: ADD (the target enters, under
 * {@code directive}), UPDATE (it stays, now under {@code directive}) or REMOVE (it leaves;
 * {@code directive} is the RESTORE that lifted it).
 */
public record FeedChange(long serial, String op, String type, String value, boolean includeSubdomains, String host,
                         String directive) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static FeedChange of(Change change) {
        return new FeedChange(change.serial(), change.operation().name(), change.kind().name(), change.value(),
                change.includeSubdomains(), change.hostHint().orElse(null), change.directiveNumber());
    }

    /** The entry as this change leaves it, or null when it removes it; {@code before} is the entry before, or null. */
    public FeedEntry applyTo(FeedEntry before) {
        return switch (op) {
            case "ADD" -> new FeedEntry(type, value, includeSubdomains, host, directive, serial);
            case "UPDATE" -> new FeedEntry(type, value, includeSubdomains, host, directive,
                    before == null ? serial : before.since());
            case "REMOVE" -> null;
            default -> throw new IllegalArgumentException("unknown change " + op);
        };
    }

    /** The entry's key, as {@link FeedEntry#key()}. */
    public String order() {
        return new FeedEntry(type, value, includeSubdomains, host, directive, serial).order();
    }

    public String line() {
        StringWriter text = new StringWriter(96);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeNumberField("serial", serial);
            out.writeStringField("op", op);
            FeedEntry.writeTarget(out, type, value, includeSubdomains, host, directive);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    public static FeedChange parse(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.path("serial").canConvertToLong() || !node.path("op").isTextual()
                    || !node.path("type").isTextual() || !node.path("value").isTextual()) {
                throw new IllegalArgumentException("not a blocklist change: " + line);
            }
            return new FeedChange(node.get("serial").asLong(), node.get("op").textValue(), node.get("type").textValue(),
                    node.get("value").textValue(), node.path("includeSubdomains").asBoolean(false),
                    node.path("host").isTextual() ? node.get("host").textValue() : null,
                    node.path("directive").asText(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + line, e);
        }
    }
}
