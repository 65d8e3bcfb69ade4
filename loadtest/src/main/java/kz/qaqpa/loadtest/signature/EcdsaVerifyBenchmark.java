package kz.qaqpa.loadtest.signature;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One ECDSA P-256 signature verification — the one public-key operation every submitted directive
 * costs — with BouncyCastle and with the JDK's SunEC, to choose the provider the verifier uses.
 *
 * <pre>mvn -q -pl loadtest exec:exec -Dbenchmark=org.openjdk.jmh.Main -Dargs="EcdsaVerifyBenchmark"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EcdsaVerifyBenchmark {

    @Param({"BC", "SunEC"})
    String provider;

    private KeyPair keys;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
        message = new byte[200]; // about the signed attributes of a CMS signature
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(message);
        signature = signer.sign();
    }

    @Benchmark
    public boolean verify() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA", provider);
        verifier.initVerify(keys.getPublic());
        verifier.update(message);
        return verifier.verify(signature);
    }
}
