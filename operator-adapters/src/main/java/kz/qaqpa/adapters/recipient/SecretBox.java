package kz.qaqpa.adapters.recipient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kz.qaqpa.directives.store.PrivateFiles;

/**
 * Seals the secrets of recipients' channels (FTP and SMTP passwords) for the database: AES-256-GCM
 * with a random 96-bit nonce per value, and the recipient and field as associated data, so that a
 * sealed value copied into another recipient's row does not open. Whoever reads the database — a
 * backup, a replica, a local user of an embedded file — reads no password without the key, which
 * lives in a file of its own ({@code data/secrets.key}, mode 0600, or {@code secrets-key-file}).
 *
 * <p>A sealed value reads {@code aes-gcm:v1:} and the base64 of nonce, ciphertext and tag. A value
 * without that prefix is one stored before sealing existed; {@link RecipientStore} seals those at
 * start.
 */
public final class SecretBox {

    private static final String PREFIX = "aes-gcm:v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key in {@code file} (base64 of 32 bytes), made there on first use. */
    public static SecretBox load(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[KEY_BYTES];
                RANDOM.nextBytes(key);
                PrivateFiles.writeSecret(file, Base64.getEncoder().encodeToString(key) + "\n");
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException(file + " does not hold a 256-bit key in base64");
            }
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " does not hold a 256-bit key in base64", e);
        }
    }

    /** A box with a key of its own that is kept nowhere: for tests. */
    public static SecretBox ephemeral() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return new SecretBox(key);
    }

    /** Whether a stored value is sealed. */
    public static boolean isSealed(String value) {
        return value.startsWith(PREFIX);
    }

    /** Seals {@code secret}, bound to {@code context} (such as {@code "kcell/password"}). */
    public String seal(String secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a sealed value (an unsealed one is returned as it is).
     *
     * @throws IllegalStateException when it was sealed with another key or for another context
     */
    public String open(String stored, String context) {
        if (!isSealed(stored)) {
            return stored;
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES), context);
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the secret " + context + " was sealed with another key (give every gateway"
                    + " member the same secrets-key-file) or copied from another recipient", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the secret " + context + ": " + e.getMessage(), e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
