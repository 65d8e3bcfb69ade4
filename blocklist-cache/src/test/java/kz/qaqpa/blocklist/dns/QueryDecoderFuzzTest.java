package kz.qaqpa.blocklist.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.netty.channel.socket.DatagramPacket;

/**
 * Any datagram at the filtering node's port: a query whose one question has a name of at most 255
 * octets, which the node can answer; or null, which the node answers FORMERR — never an exception
 * (the seeds hold compression-pointer loops, too many labels, labels over 63 octets, truncation).
 * And the node's own reading of the datagram gives exactly what Netty's codec gives.
 */
class QueryDecoderFuzzTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 53_000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 53);
    private static final int HEADER = 12;
    private static final int MAX_NAME_OCTETS = 255;

    @FuzzTest(maxDuration = "20s")
    void anyDatagramIsAQueryOrMalformed(byte[] datagram) {
        if (datagram.length < HEADER) {
            return; // dropped before decoding
        }
        ByteBuf in = Unpooled.wrappedBuffer(datagram);
        Answers.Query query = QueryHandler.decode(in, CLIENT, LOCAL);
        assertThat(in.readerIndex()).isZero();
        assertThat(query).as("the node reads it as Netty's codec does").isEqualTo(QueryHandler.decodeWithCodec(in, CLIENT, LOCAL));
        if (query == null) {
            return;
        }
        String name = query.question().name();
        assertThat(name).endsWith(".");
        assertThat(wireLength(name)).as(name).isLessThanOrEqualTo(MAX_NAME_OCTETS);
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramDnsResponseEncoder());
        try {
            channel.writeOutbound(Answers.answer(query, DnsResponseCode.REFUSED, Answers.EDE_NOT_READY,
                    Answers.NOT_READY_TEXT, UnpooledByteBufAllocator.DEFAULT));
            DatagramPacket answer = channel.readOutbound();
            assertThat(answer.content().getUnsignedShort(0)).isEqualTo(query.id());
            answer.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void theNodeReadsQuestionsAsNettysCodecDoesWithoutIt() {
        byte[] plain = WireClient.query(1, "WWW.Casino.kz", true);
        byte[] classic = WireClient.query(2, "a.b", false);
        byte[] bigBuffer = WireClient.query(3, "x.kz", 4_096);
        byte[] compressed = {0, 4, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1,
                (byte) 0xc0, 29, 0, 1, 0, 1,                      // the question's name: a pointer to "www.kz" below
                0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0,                 // OPT, 512
                3, 'w', 'w', 'w', 2, 'k', 'z', 0};
        byte[] utf8 = WireClient.query(5, "xxxxxx.kz", false);
        System.arraycopy("казино".getBytes(StandardCharsets.UTF_8), 0, utf8, 13, 6); // "каз" in UTF-8: six octets
        byte[] ptrRecord = {0, 6, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 'a', 0, 0, 1, 0, 1,
                0, 0, 12, 0, 1, 0, 0, 0, 0, 0, 2, (byte) 0xc0, 12};
        byte[] longLabel = WireClient.query(7, "a".repeat(64) + ".kz", false);

        for (byte[] datagram : List.of(plain, classic, bigBuffer, compressed, utf8, ptrRecord, longLabel)) {
            ByteBuf in = Unpooled.wrappedBuffer(datagram);
            assertThat(QueryHandler.decode(in, CLIENT, LOCAL)).isEqualTo(QueryHandler.decodeWithCodec(in, CLIENT, LOCAL));
        }
        assertThat(decoded(plain).question()).isEqualTo(new Answers.Question("WWW.Casino.kz.", 1, 1));
        assertThat(decoded(plain).edns()).isTrue();
        assertThat(decoded(classic).udpPayload()).isEqualTo(512);
        assertThat(decoded(bigBuffer).udpPayload()).isEqualTo(4_096);
        assertThat(decoded(compressed).question().name()).isEqualTo("www.kz.");
        assertThat(decoded(utf8).question().name()).as("IDN, as the codec gives it").startsWith("xn--");
        assertThat(decoded(ptrRecord).question().name()).isEqualTo("a.");
        assertThat(decoded(longLabel)).isNull();
    }

    private static Answers.Query decoded(byte[] datagram) {
        return QueryHandler.decode(Unpooled.wrappedBuffer(datagram), CLIENT, LOCAL);
    }

    /** Octets of a name on the wire: a length octet per label plus the labels, plus the root. */
    private static int wireLength(String name) {
        return name.equals(".") ? 1 : name.length() + 1;
    }
}
