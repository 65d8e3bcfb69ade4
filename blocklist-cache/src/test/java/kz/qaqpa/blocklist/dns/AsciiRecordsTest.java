package kz.qaqpa.blocklist.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The node's name encoder writes what Netty's writes, and refuses what Netty's refuses, for any text. */
class AsciiRecordsTest {

    @Test
    void namesAreWrittenAsNettysEncoderWritesThemAndRefusedWhereItRefuses() {
        List<String> names = new ArrayList<>(List.of(".", "", "kz", "kz.", "www.casino.kz.", "WWW.Casino.KZ", "a..b", ".a",
                "a..", "...", "a.b...", "a\0b.kz", "a".repeat(63) + ".kz", "a".repeat(64) + ".kz",
                ("a".repeat(63) + ".").repeat(4), ("a".repeat(62) + ".").repeat(4) + "aa", "é.kz", "€.kz", "xn--80ao21a."));
        Random random = new Random(20261204);
        String alphabet = "ab.Z\0-é€";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int length = random.nextInt(12); length > 0; length--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.toString());
        }
        for (String name : names) {
            assertThat(encoded(AsciiRecords.ENCODER, name)).as("%s", name).isEqualTo(encoded(DefaultDnsRecordEncoder.DEFAULT, name));
        }
    }

    /** The question's octets, or the refusal's class and message. */
    private static String encoded(DnsRecordEncoder encoder, String name) {
        ByteBuf out = Unpooled.buffer();
        try {
            encoder.encodeQuestion(AsciiRecords.question(name, DnsRecordType.A, 1), out);
            return ByteBufUtil.hexDump(out);
        } catch (Exception refused) {
            return refused.getClass().getName() + ": " + refused.getMessage();
        } finally {
            out.release();
        }
    }
}
