package kz.qaqpa.loadtest.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kz.qaqpa.blocklist.model.log.SetHash;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a second version of the {@link SetHash} could expand an element with: each candidate turns
 * one element into {@link SetHash#BYTES} bytes, beside {@link SetHash#add} as it is (AES-256-CTR
 * keyed by the element's SHA-256, plus adding the lanes). Measured before a v2 was designed
 * (BENCHMARKS.md, the register): the set hash is an eighth of a node's CPU in a register, most of it
 * the JDK's AES key schedule. {@code aesOneKey} is not a sound candidate — two elements whose hashed
 * counter blocks fall within 128 of each other share keystream — and is here to show what the key
 * schedule costs.
 *
 * <pre>mvn -q -pl loadtest exec:exec -Dbenchmark=org.openjdk.jmh.Main -Dargs="SetHashExpansionBenchmark"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SetHashExpansionBenchmark {

    private final byte[] zeros = new byte[SetHash.BYTES];
    private final byte[] out = new byte[SetHash.BYTES];
    private final byte[] counter = new byte[1];
    private final SecretKeySpec oneKey = new SecretKeySpec(new byte[32], "AES");
    private SetHash setHash;
    private MessageDigest sha256;
    private Cipher aes;
    private Cipher chacha;
    private int i;

    @Setup
    public void setUp() throws Exception {
        setHash = SetHash.empty();
        sha256 = MessageDigest.getInstance("SHA-256");
        aes = Cipher.getInstance("AES/CTR/NoPadding");
        chacha = Cipher.getInstance("ChaCha20");
    }

    /** A new element each time, of a register's size: a name and a directive number. */
    private byte[] element() {
        return ("site" + i++ + ".kz\0REG-17").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public SetHash v1Add() {
        return setHash.add("site" + i++ + ".kz", "REG-17");
    }

    @Benchmark
    public byte[] chacha20KeyedPerElement() throws Exception {
        chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sha256.digest(element()), "ChaCha20"),
                new ChaCha20ParameterSpec(new byte[12], 0));
        chacha.doFinal(zeros, 0, zeros.length, out, 0);
        return out;
    }

    @Benchmark
    public byte[] sha256Counter() throws Exception {
        byte[] key = sha256.digest(element());
        for (int block = 0; block < SetHash.BYTES / 32; block++) {
            sha256.update(key);
            counter[0] = (byte) block;
            sha256.update(counter);
            sha256.digest(out, 32 * block, 32);
        }
        return out;
    }

    @Benchmark
    public byte[] blake3Xof() {
        Blake3Digest blake3 = new Blake3Digest();
        byte[] element = element();
        blake3.update(element, 0, element.length);
        blake3.doFinal(out, 0, out.length);
        return out;
    }

    @Benchmark
    public byte[] shake128() {
        SHAKEDigest shake = new SHAKEDigest(128);
        byte[] element = element();
        shake.update(element, 0, element.length);
        shake.doFinal(out, 0, out.length);
        return out;
    }

    @Benchmark
    public byte[] aesOneKey() throws Exception {
        byte[] iv = new byte[16];
        System.arraycopy(sha256.digest(element()), 0, iv, 0, 16);
        aes.init(Cipher.ENCRYPT_MODE, oneKey, new IvParameterSpec(iv));
        aes.doFinal(zeros, 0, zeros.length, out, 0);
        return out;
    }
}
