package kz.qaqpa.blocklist.model.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import kz.qaqpa.blocklist.model.Sha256;
import org.junit.jupiter.api.Test;

class SetHashTest {

    @Test
    void theHashOfASetDoesNotDependOnTheOrderItWasBuiltIn() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add("DOMAIN:site" + i + ".kz");
        }
        SetHash forward = SetHash.empty();
        keys.forEach(key -> forward.add(key, "D-1"));
        Collections.shuffle(keys, new Random(7));
        SetHash shuffled = SetHash.empty();
        keys.forEach(key -> shuffled.add(key, "D-1"));

        assertThat(shuffled.digest()).isEqualTo(forward.digest());
    }

    @Test
    void removingWhatWasAddedGivesTheSetBefore() {
        SetHash set = SetHash.empty().add("DOMAIN:a.kz", "D-1");
        String before = set.digest();

        set.add("DOMAIN:*.b.kz", "D-2").remove("DOMAIN:*.b.kz", "D-2");

        assertThat(set.digest()).isEqualTo(before);
        assertThat(set.remove("DOMAIN:a.kz", "D-1").digest()).isEqualTo(SetHash.empty().digest());
    }

    @Test
    void aTargetUnderAnotherDirectiveOrAnotherTargetIsAnotherSet() {
        String cited = SetHash.empty().add("DOMAIN:a.kz", "D-1").digest();

        assertThat(SetHash.empty().add("DOMAIN:a.kz", "D-2").digest()).isNotEqualTo(cited);
        assertThat(SetHash.empty().add("DOMAIN:*.a.kz", "D-1").digest()).isNotEqualTo(cited);
        // Fields are length-prefixed: moving bytes between them makes another element.
        assertThat(SetHash.empty().add("DOMAIN:a.k", "zD-1").digest()).isNotEqualTo(cited);
        assertThat(SetHash.empty().add("DOMAIN:a.kz", "D-1").add("DOMAIN:a.kz", "D-1").digest())
                .as("a multiset: twice is not once").isNotEqualTo(cited);
    }

    @Test
    void encodedAndDecodedItGoesOnAsItWas() {
        SetHash kept = SetHash.empty().add("IP:192.0.2.1", "D-1");
        SetHash restored = SetHash.decode(kept.encoded());

        assertThat(restored.add("URL:https://x.kz/a", "D-2").digest())
                .isEqualTo(kept.add("URL:https://x.kz/a", "D-2").digest());
    }

    /** The construction as documented, computed by another implementation: OpenSSL's AES-256-CTR. */
    @Test
    void openSslComputesTheSameHashFromTheDocumentedConstruction() throws Exception {
        String[][] elements = {{"DOMAIN:casino.kz", "D-1"}, {"DOMAIN:*.қазақ.kz", "Ш-7"}};
        short[] lanes = new short[SetHash.LANES];
        for (String[] element : elements) {
            MessageDigest key = Sha256.digest();
            key.update("qaqpa.set/v1".getBytes(StandardCharsets.US_ASCII));
            key.update((byte) 0);
            key.update(lengthPrefixed(element[0]));
            key.update(lengthPrefixed(element[1]));
            byte[] stream = openSslKeystream(HexFormat.of().formatHex(key.digest()));
            ByteBuffer little = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < SetHash.LANES; i++) {
                lanes[i] += little.getShort();
            }
        }
        ByteBuffer bytes = ByteBuffer.allocate(SetHash.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(lanes);

        SetHash ours = SetHash.empty();
        for (String[] element : elements) {
            ours.add(element[0], element[1]);
        }
        assertThat(ours.digest()).isEqualTo(Sha256.hex(bytes.array()));
    }

    private static byte[] lengthPrefixed(String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + bytes.length).putShort((short) bytes.length).put(bytes).array();
    }

    private static byte[] openSslKeystream(String keyHex) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "enc", "-aes-256-ctr", "-nosalt", "-K", keyHex,
                "-iv", "00000000000000000000000000000000").start();
        openssl.getOutputStream().write(new byte[SetHash.BYTES]);
        openssl.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        openssl.getInputStream().transferTo(out);
        assertThat(openssl.waitFor()).isZero();
        return out.toByteArray();
    }
}
