package kz.qaqpa.blocklist.model.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * A commitment to the current set of restricted targets that a holder updates per change in
 * constant time: the homomorphic multiset hash LtHash16 (Lewi et al., "Securing Update Propagation
 * with Homomorphic Hashing", 2019) — 1,024 lanes of 16 bits, an element's hash added lane by lane
 * modulo 2^16 when it enters the set and subtracted when it leaves. So the set's hash does not
 * depend on the order it was built in: the gateway updates it change by change in the intake's
 * transaction, a node recomputes it from a snapshot, and the two agree exactly when the sets do.
 *
 * <p>An element is a target and the directive it is enforced under —
 * {@code uint16 length, key (UTF-8), uint16 length, directive number (UTF-8)} — so a snapshot that
 * names the wrong directive does not verify either. Its hash is 2,048 bytes of AES-256-CTR
 * keystream (zero IV) under the key SHA-256({@value #DOMAIN} ‖ 0x00 ‖ element), read as
 * little-endian 16-bit lanes. A tree head carries {@link #digest()}: SHA-256 of the 2,048 lane bytes.
 * Not thread-safe.
 */
public final class SetHash {

    public static final int LANES = 1_024;
    public static final int BYTES = 2 * LANES;
    private static final String DOMAIN = "qaqpa.set/v1";
    /** What an element's key hashes first: the domain and a zero byte. */
    private static final byte[] PREFIX = (DOMAIN + '\0').getBytes(StandardCharsets.US_ASCII);
    /** The expansion read as little-endian 16-bit lanes, one load each. */
    private static final VarHandle LANE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] ZEROS = new byte[BYTES];
    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[16]);

    private final short[] lanes;
    /** Made on the first element added or taken away: a hash only decoded and digested needs none. */
    private Cipher cipher;
    private final MessageDigest sha256 = Sha256.digest();
    private final byte[] expansion = new byte[BYTES];

    private SetHash(short[] lanes) {
        this.lanes = lanes;
    }

    /** The hash of the empty set. */
    public static SetHash empty() {
        return new SetHash(new short[LANES]);
    }

    /** A set's hash from {@link #encoded()}. */
    public static SetHash decode(String encoded) {
        if (encoded.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a set hash is " + BYTES + " bytes in hex");
        }
        short[] lanes = new short[LANES];
        ByteBuffer.wrap(HexFormat.of().parseHex(encoded)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(lanes);
        return new SetHash(lanes);
    }

    /** Adds the target {@code key}, enforced under {@code directive}. */
    public SetHash add(String key, String directive) {
        expand(key, directive);
        for (int i = 0; i < LANES; i++) {
            lanes[i] += (short) LANE.get(expansion, 2 * i);
        }
        return this;
    }

    /** Takes away what {@link #add} added. */
    public SetHash remove(String key, String directive) {
        expand(key, directive);
        for (int i = 0; i < LANES; i++) {
            lanes[i] -= (short) LANE.get(expansion, 2 * i);
        }
        return this;
    }

    /** The lane bytes, little-endian, in hex: how the gateway keeps it beside the log's head. */
    public String encoded() {
        return HexFormat.of().formatHex(bytes());
    }

    /** SHA-256 of the lane bytes, lower-case hex: what a tree head states. */
    public String digest() {
        return HexFormat.of().formatHex(sha256.digest(bytes()));
    }

    private byte[] bytes() {
        ByteBuffer out = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.asShortBuffer().put(lanes);
        return out.array();
    }

    private void expand(String key, String directive) {
        sha256.update(PREFIX);
        sha256.update(element(key, directive));
        try {
            if (cipher == null) {
                cipher = Cipher.getInstance("AES/CTR/NoPadding");
            }
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sha256.digest(), "AES"), ZERO_IV);
            cipher.doFinal(ZEROS, 0, BYTES, expansion, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR with a 32-byte key is part of every Java platform", e);
        }
    }

    /** An element's bytes: both fields as the log's leaves write them. */
    static byte[] element(String key, String directive) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] d = directive.getBytes(StandardCharsets.UTF_8);
        if (k.length > 0xFFFF || d.length > 0xFFFF) {
            throw new IllegalArgumentException("a key and a directive number are at most 65,535 bytes");
        }
        return ByteBuffer.allocate(4 + k.length + d.length).putShort((short) k.length).put(k)
                .putShort((short) d.length).put(d).array();
    }

    @Override
    public String toString() {
        return "SetHash[" + digest() + "]";
    }
}
