package kz.qaqpa.blocklist.model.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A holder's own key, with which it signs its {@link Receipt}s — a filtering node's, or an
 * operator's {@code qaqpa pull}: EC P-256, made on first use as {@code ID.key} (PKCS#8, readable
 * by its user only) and {@code ID.pub} (the public key, PEM — what the authority registers with the
 * gateway: {@code POST /api/v1/nodes/ID/key} for a node, {@code POST /api/v1/operators/ID/key} for
 * a recipient), and read again on every later use.
 */
public record ReceiptKey(PrivateKey privateKey, PublicKey publicKey, Path publicKeyFile) {

    /** The key of holder {@code id} in {@code dir}, made when there is none. */
    public static ReceiptKey loadOrCreate(Path dir, String id) {
        Path key = dir.resolve(id + ".key");
        Path pub = dir.resolve(id + ".pub");
        try {
            if (!Files.exists(key) || !Files.exists(pub)) {
                Files.createDirectories(dir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                Files.deleteIfExists(key);
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            }
            KeyFactory ec = KeyFactory.getInstance("EC");
            return new ReceiptKey(ec.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(key)))),
                    publicKey(Files.readString(pub)), pub);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the holder's key in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the holder's key " + key + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** An EC public key from its PEM ({@code -----BEGIN PUBLIC KEY-----}); an {@link IllegalArgumentException} otherwise. */
    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an EC public key in PEM (-----BEGIN PUBLIC KEY-----)", e);
        }
    }

    /** Its public key as PEM. */
    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        if (body.isEmpty()) {
            throw new IllegalArgumentException("no PEM body");
        }
        return Base64.getDecoder().decode(body);
    }
}
