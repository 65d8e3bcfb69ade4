package kz.qaqpa.blocklist.model.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * A tree head: the size of the blocklist's Merkle log (= its serial), its root at that size, the
 * {@link SetHash} of the set of restricted targets the log's changes leave at that size, when
 * the gateway stated it and until when the statement may be relied on. The gateway signs
 * {@link #bytes()} (a CMS signature that {@code openssl cms -verify} checks); a holder that sees an
 * expired head knows its source has stopped, or is hiding, what came after.
 *
 * @param rootHash lower-case hex
 * @param setHash  {@link SetHash#digest()} of the set at {@code treeSize}, lower-case hex
 */
public record TreeHead(long treeSize, String rootHash, String setHash, Instant timestamp, Instant expires) {

    public static final String SCHEMA = "qaqpa.sth/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TreeHead {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(expires, "expires");
        if (treeSize < 0) {
            throw new IllegalArgumentException("treeSize is at least 0");
        }
        if (!Sha256.isHex(rootHash)) {
            throw new IllegalArgumentException("rootHash is 64 lower-case hex digits");
        }
        if (!Sha256.isHex(setHash)) {
            throw new IllegalArgumentException("setHash is 64 lower-case hex digits");
        }
        timestamp = timestamp.truncatedTo(ChronoUnit.SECONDS);
        expires = expires.truncatedTo(ChronoUnit.SECONDS);
        if (!expires.isAfter(timestamp)) {
            throw new IllegalArgumentException("a head expires after it is stated");
        }
    }

    public static TreeHead of(long treeSize, byte[] root, String setHash, Instant timestamp, Instant expires) {
        return new TreeHead(treeSize, HexFormat.of().formatHex(root), setHash, timestamp, expires);
    }

    public byte[] root() {
        return HexFormat.of().parseHex(rootHash);
    }

    /** Whether it may still be relied on at {@code now}. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expires);
    }

    /** The signed form: one line of JSON, fields in this order, times in UTC to the second. */
    public byte[] bytes() {
        return ("{\"schema\":\"" + SCHEMA + "\",\"treeSize\":" + treeSize + ",\"rootHash\":\"" + rootHash
                 + "\",\"setHash\":\"" + setHash + "\",\"timestamp\":\"" + timestamp + "\",\"expires\":\"" + expires + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@link #bytes()} back; anything else is an {@link IllegalArgumentException}. */
    public static TreeHead parse(byte[] bytes) {
        try {
            JsonNode json = JSON.readTree(bytes);
            if (json == null || !SCHEMA.equals(json.path("schema").asText())) {
                throw new IllegalArgumentException("not a " + SCHEMA + " tree head");
            }
            if (!json.path("treeSize").canConvertToExactIntegral()) {
                throw new IllegalArgumentException("treeSize is not a whole number");
            }
            return new TreeHead(json.path("treeSize").asLong(), json.path("rootHash").asText(null),
                    json.path("setHash").asText(null),
                    Instant.parse(json.path("timestamp").asText("")), Instant.parse(json.path("expires").asText("")));
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a tree head: " + e.getMessage(), e);
        }
    }
}
