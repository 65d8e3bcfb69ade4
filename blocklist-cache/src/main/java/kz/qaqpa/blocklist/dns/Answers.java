package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The answers the node makes itself (everything else comes from the upstream resolver): NXDOMAIN
 * for a restricted name, REFUSED while not ready, SERVFAIL when the upstream does not answer,
 * FORMERR and NOTIMP for queries it cannot serve. When the query spoke EDNS, the answer carries an
 * Extended DNS Error option (RFC 8914) saying why.
 */
final class Answers {

    /** EDNS option code of Extended DNS Errors (RFC 8914). */
    static final int EDE_OPTION = 15;
    /** RFC 8914 info-codes used here. */
    static final int EDE_NOT_READY = 14;
    static final int EDE_CENSORED = 16;
    static final int EDE_NETWORK_ERROR = 23;

    static final String NOT_READY_TEXT = "the blocklist is not loaded yet";

    private static final int UDP_PAYLOAD_SIZE = 1232;
    /** The TC bit of the header's flags. */
    private static final int TRUNCATED = 0x0200;
    /** The Internet class (RFC 1035 §3.2.4), of every record the node writes. */
    static final int CLASS_IN = 1;
    /** Short, so that a restoration reaches resolvers' caches soon. */
    private static final long SINKHOLE_TTL = 60;

    static String censored(String directive) {
        return "restricted by directive " + directive;
    }

    private Answers() {
    }

    /** The UDP payload a client may receive without EDNS (RFC 1035 §4.2.1). */
    static final int CLASSIC_UDP_PAYLOAD = 512;

    /**
     * A query's question: its name as text (labels joined by dots, a trailing dot; ASCII), type and
     * class. A {@link DnsQuestion} is made of it only for an answer the node writes itself.
     */
    record Question(String name, int type, int dnsClass) {

        static Question of(DnsQuestion question) {
            return new Question(question.name(), question.type().intValue(), question.dnsClass());
        }

        DnsQuestion toNetty() {
            return AsciiRecords.question(name, DnsRecordType.valueOf(type), dnsClass);
        }
    }

    /**
     * What the node knows of a query it answers.
     *
     * @param udpPayload the largest UDP answer the client takes: its EDNS buffer size, at least 512;
     *                   512 without EDNS
     */
    record Query(InetSocketAddress client, InetSocketAddress local, int id, boolean recursionDesired,
                 Question question, boolean edns, int udpPayload) {

        Query(InetSocketAddress client, InetSocketAddress local, int id, boolean recursionDesired,
              Question question, boolean edns) {
            this(client, local, id, recursionDesired, question, edns, CLASSIC_UDP_PAYLOAD);
        }
    }

    /** An answer to a UDP query. */
    static DatagramDnsResponse answer(Query query, DnsResponseCode code, int edeCode, String edeText,
                                      ByteBufAllocator allocator) {
        return fill(response(query, code), query, edeCode, edeText, allocator);
    }

    /** An empty response to a UDP query, to be filled. */
    static DatagramDnsResponse response(Query query, DnsResponseCode code) {
        return new DatagramDnsResponse(query.local(), query.client(), query.id(), DnsOpCode.QUERY, code);
    }

    /** Fills a response of any transport: flags, the question, and the Extended DNS Error when the query spoke EDNS. */
    static <R extends DnsResponse> R fill(R response, Query query, int edeCode, String edeText, ByteBufAllocator allocator) {
        response.setRecursionDesired(query.recursionDesired());
        response.setRecursionAvailable(true);
        if (query.question() != null) {
            response.addRecord(DnsSection.QUESTION, query.question().toNetty());
        }
        if (query.edns()) {
            response.addRecord(DnsSection.ADDITIONAL, opt(edeCode, edeText, allocator));
        }
        return response;
    }

    /**
     * The answer for a restricted name: NXDOMAIN, or with a sinkhole NOERROR and the sinkhole's
     * address for A or AAAA questions (no data for other types); EDE 16 either way. Without an
     * address record it is a negative answer, and carries the policy zone's SOA in its authority
     * section, so that resolvers may cache it (RFC 2308).
     */
    static <R extends DnsResponse> R restricted(R response, Query query, String directive, Policy policy,
                                                ByteBufAllocator allocator) {
        fill(response, query, EDE_CENSORED, censored(directive), allocator);
        Sinkhole sinkhole = policy.sinkhole();
        byte[] address = null;
        if (sinkhole.isSet()) {
            response.setCode(DnsResponseCode.NOERROR);
            int type = query.question().type();
            address = type == DnsRecordType.A.intValue() ? sinkhole.ipv4().map(Inet4Address::getAddress).orElse(null)
                    : type == DnsRecordType.AAAA.intValue() ? sinkhole.ipv6().map(Inet6Address::getAddress).orElse(null) : null;
        }
        if (address != null) {
            response.addRecord(DnsSection.ANSWER, AsciiRecords.raw(query.question().name(),
                    DnsRecordType.valueOf(query.question().type()), CLASS_IN, SINKHOLE_TTL,
                    allocator.buffer(address.length).writeBytes(address)));
        } else {
            response.addRecord(DnsSection.AUTHORITY, policy.negativeSoa());
        }
        return response;
    }

    /**
     * An upstream answer as a UDP client gets it: the answer itself, or — when larger than the
     * client takes (its EDNS size, 512 without EDNS) — its header and question with TC set, so that
     * the client asks again over TCP; with the client's query ID either way. The answer's buffer is
     * retained or copied: the caller's reference stays the caller's.
     *
     * @param questionEnd where the answer's question ends
     */
    static ByteBuf forClient(ByteBuf answer, int questionEnd, Query query, ByteBufAllocator allocator) {
        ByteBuf relayed;
        if (answer.readableBytes() > query.udpPayload()) {
            relayed = allocator.buffer(questionEnd - answer.readerIndex());
            relayed.writeBytes(answer, answer.readerIndex(), questionEnd - answer.readerIndex());
            relayed.setShort(2, relayed.getUnsignedShort(2) | TRUNCATED);
            relayed.setShort(6, 0);
            relayed.setShort(8, 0);
            relayed.setShort(10, 0);
        } else {
            relayed = answer.retain();
        }
        relayed.setShort(relayed.readerIndex(), query.id());
        return relayed;
    }

    /** An OPT pseudo-record (RFC 6891) holding one Extended DNS Error option. */
    private static DnsRawRecord opt(int infoCode, String text, ByteBufAllocator allocator) {
        byte[] extraText = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf option = allocator.buffer(6 + extraText.length);
        option.writeShort(EDE_OPTION);
        option.writeShort(2 + extraText.length);
        option.writeShort(infoCode);
        option.writeBytes(extraText);
        // The OPT record's class is the UDP payload size; its TTL the extended RCODE, version and flags (all 0).
        return AsciiRecords.raw(".", DnsRecordType.OPT, UDP_PAYLOAD_SIZE, 0, option);
    }
}
