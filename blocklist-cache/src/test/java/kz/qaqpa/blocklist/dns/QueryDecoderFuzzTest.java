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
import io.netty.channel.socket.DatagramPacket;

/**
 * Any datagram at the filtering node's port: a query whose one question has a name of at most 255
 * octets, which the node can answer; or null, which the node answers FORMERR — never an exception
 * (the seeds hold compression-pointer loops, too many labels, labels over 63 octets, truncation).
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

    /** Octets of a name on the wire: a length octet per label plus the labels, plus the root. */
    private static int wireLength(String name) {
        return name.equals(".") ? 1 : name.length() + 1;
    }
}
