package kz.qaqpa.blocklist.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The canonical JSON lines of the operators' feeds: an entry of the snapshot and a change of the
 * feed of changes. Fields always in this order, {@code host} only for a URL, no spaces — the
 * snapshot's SHA-256, which the signed manifest states, depends on every byte.
 *
 * <pre>
 * {"type":"DOMAIN","value":"casino.kz","includeSubdomains":true,"directive":"12-3/456","since":17}
 * {"serial":18,"op":"REMOVE","type":"DOMAIN","value":"casino.kz","includeSubdomains":true,"directive":"12-3/457"}
 * </pre>
 */
public final class BlocklistLines {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BlocklistLines() {
    }

    /** An entry's canonical line, without its line feed. */
    public static String line(BlocklistEntry entry) {
        StringWriter text = new StringWriter(96);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            writeTarget(out, entry.kind(), entry.value(), entry.includeSubdomains(), entry.host(), entry.directive());
            out.writeNumberField("since", entry.since());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** A change's canonical line, without its line feed. */
    public static String line(BlocklistChange change) {
        StringWriter text = new StringWriter(112);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeNumberField("serial", change.serial());
            out.writeStringField("op", change.operation().name());
            writeTarget(out, change.kind(), change.value(), change.includeSubdomains(), change.host(), change.directive());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The fields an entry and a change share, in the order both lines have them. */
    private static void writeTarget(JsonGenerator out, TargetKind kind, String value, boolean includeSubdomains,
                                    Optional<String> host, String directive) throws IOException {
        out.writeStringField("type", kind.name());
        out.writeStringField("value", value);
        out.writeBooleanField("includeSubdomains", includeSubdomains);
        if (host.isPresent()) {
            out.writeStringField("host", host.get());
        }
        out.writeStringField("directive", directive);
    }

    /** Reads an entry's line. @throws IllegalArgumentException when it is not one */
    public static BlocklistEntry entry(String line) {
        JsonNode node = tree(line);
        if (node == null || !node.isObject() || !node.path("type").isTextual() || !node.path("value").isTextual()
                || !node.path("directive").isTextual() || !node.path("since").canConvertToLong()) {
            throw new IllegalArgumentException("not a blocklist entry: " + abbreviate(line));
        }
        return new BlocklistEntry(kind(node, line), node.get("value").textValue(), node.path("includeSubdomains").asBoolean(false),
                host(node), node.get("directive").textValue(), node.get("since").asLong());
    }

    /** Reads a change's line. @throws IllegalArgumentException when it is not one */
    public static BlocklistChange change(String line) {
        JsonNode node = tree(line);
        if (node == null || !node.isObject() || !node.path("serial").canConvertToLong() || !node.path("op").isTextual()
                || !node.path("type").isTextual() || !node.path("value").isTextual()) {
            throw new IllegalArgumentException("not a blocklist change: " + abbreviate(line));
        }
        Operation operation;
        try {
            operation = Operation.valueOf(node.get("op").textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown change " + abbreviate(node.get("op").textValue()), e);
        }
        return new BlocklistChange(node.get("serial").asLong(), operation, kind(node, line), node.get("value").textValue(),
                node.path("includeSubdomains").asBoolean(false), host(node), node.path("directive").asText(""));
    }

    private static JsonNode tree(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(line), e);
        }
    }

    private static TargetKind kind(JsonNode node, String line) {
        try {
            return TargetKind.valueOf(node.get("type").textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown target type in " + abbreviate(line), e);
        }
    }

    private static Optional<String> host(JsonNode node) {
        return node.path("host").isTextual() ? Optional.of(node.get("host").textValue()) : Optional.empty();
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
