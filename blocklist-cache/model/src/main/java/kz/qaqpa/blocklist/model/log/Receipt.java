package kz.qaqpa.blocklist.model.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import kz.qaqpa.blocklist.model.BouncyCastle;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * A filtering node's signed statement of what it enforces: "node N holds the log at size S, with
 * root R and set hash C, in state X, at time T". The node signs {@link #bytes()} with its own key
 * (ECDSA P-256 with SHA-256, what {@code openssl dgst -sha256 -verify node.pub -signature} checks);
 * the gateway believes a node's report only through it, against the public key registered for the
 * node — a process on the cluster port can write a report, not sign one.
 *
 * @param rootHash lower-case hex; the empty tree's root before the node holds a verified state
 * @param setHash  {@link SetHash#digest()}, lower-case hex
 * @param state    the node's state ({@code VERIFIED}, {@code STALE}, {@code TAMPERED}, {@code STARTING})
 */
public record Receipt(String node, long treeSize, String rootHash, String setHash, String state, Instant time) {

    public static final String SCHEMA = "qaqpa.receipt/v1";
    public static final String ALGORITHM = "SHA256withECDSA";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Receipt {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(time, "time");
        if (treeSize < 0 || !Sha256.isHex(rootHash) || !Sha256.isHex(setHash)) {
            throw new IllegalArgumentException("a receipt states a size of at least 0 and two 64-hex-digit hashes");
        }
        time = time.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The signed form: one line of JSON, fields in this order. */
    public byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("schema", SCHEMA).put("node", node)
                    .put("treeSize", treeSize).put("rootHash", rootHash).put("setHash", setHash).put("state", state)
                    .put("time", time.toString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Its signature by {@code key}. */
    public byte[] sign(PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM, BouncyCastle.PROVIDER);
            signer.initSign(key);
            signer.update(bytes());
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a receipt: " + e.getMessage(), e);
        }
    }

    /**
     * The receipt in {@code bytes}, if {@code signature} over them verifies with {@code key};
     * an {@link IllegalArgumentException} for anything else.
     */
    public static Receipt verified(byte[] bytes, byte[] signature, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM, BouncyCastle.PROVIDER);
            verifier.initVerify(key);
            verifier.update(bytes);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the signature does not verify with the registered key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the signature does not verify with the registered key", e);
        }
        try {
            JsonNode json = JSON.readTree(bytes);
            if (json == null || !SCHEMA.equals(json.path("schema").asText())) {
                throw new IllegalArgumentException("not a " + SCHEMA + " receipt");
            }
            return new Receipt(json.path("node").asText(), json.path("treeSize").asLong(-1), json.path("rootHash").asText(null),
                    json.path("setHash").asText(null), json.path("state").asText(), Instant.parse(json.path("time").asText("")));
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a receipt: " + e.getMessage(), e);
        }
    }
}
