package kz.qaqpa.gateway.pull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import kz.qaqpa.directives.targets.TargetKeys;

/**
 * One restricted target as the operators' feed shows it, and its line in the canonical JSON-lines
 * snapshot: fields always in this order, {@code host} only for a URL.
 *
 * <pre>{"type":"DOMAIN","value":"casino.kz","includeSubdomains":true,"directive":"12-3/456","since":17}</pre>
 *
 * @param type              DOMAIN, URL, IP, CIDR or APP
 * @param value             the normalised value
 * @param includeSubdomains for a domain, whether every name below it is restricted too
 * @param host              for a URL, its host; otherwise null
 * @param directive         the number of the directive it is enforced under
 * @param since             the serial at which it entered the list
 */
public record FeedEntry(String type, String value, boolean includeSubdomains, String host, String directive, long since) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The blocklist key, as the directives module makes it ({@code Target.key()}). */
    public String key() {
        return "DOMAIN".equals(type) && includeSubdomains ? "DOMAIN:*." + value : type + ":" + value;
    }

    /** The canonical snapshot's order: by the SHA-256 of the key, the same in every database and locale. */
    public String order() {
        return TargetKeys.sha256(key());
    }

    /** The canonical JSON line, without its line feed. */
    public String line() {
        StringWriter text = new StringWriter(96);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            writeTarget(out, type, value, includeSubdomains, host, directive);
            out.writeNumberField("since", since);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The fields an entry and a change share, in the order both lines have them. */
    static void writeTarget(JsonGenerator out, String type, String value, boolean includeSubdomains, String host,
                            String directive) throws IOException {
        out.writeStringField("type", type);
        out.writeStringField("value", value);
        out.writeBooleanField("includeSubdomains", includeSubdomains);
        if (host != null) {
            out.writeStringField("host", host);
        }
        out.writeStringField("directive", directive);
    }

    /** Reads a canonical line. @throws IllegalArgumentException when it is not one */
    public static FeedEntry parse(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.isObject() || !node.path("type").isTextual() || !node.path("value").isTextual()
                    || !node.path("directive").isTextual() || !node.path("since").canConvertToLong()) {
                throw new IllegalArgumentException("not a blocklist entry: " + abbreviate(line));
            }
            return new FeedEntry(node.get("type").textValue(), node.get("value").textValue(),
                    node.path("includeSubdomains").asBoolean(false),
                    node.path("host").isTextual() ? node.get("host").textValue() : null,
                    node.get("directive").textValue(), node.get("since").asLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(line), e);
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
