package kz.qaqpa.blocklist.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.matcher.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsFilterServerTest {

    private static final int NOERROR = 0;
    private static final int FORMERR = 1;
    private static final int SERVFAIL = 2;
    private static final int NXDOMAIN = 3;
    private static final int REFUSED = 5;

    private static final byte[] FORGED_ADDRESS = {6, 6, 6, 6};

    private final AtomicReference<Optional<Matcher>> blocklist = new AtomicReference<>(Optional.of(Matcher.builder()
            .addDomain("casino.kz", true, "12-3/456")
            .addDomain("example.kz", false, "12-3/457")
            .build()));
    private FakeUpstream upstream;
    private DnsFilterServer server;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
        server = DnsFilterServer.start(new DnsFilterServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofMillis(500)),
                blocklist::get);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        upstream.close();
    }

    @Test
    void restrictedNameIsNxdomainWithEdeCensoredNamingTheDirective() throws IOException {
        WireClient.Reply reply = ask(4711, "www.casino.kz", true);

        assertThat(reply.id()).isEqualTo(4711);
        assertThat(reply.rcode()).isEqualTo(NXDOMAIN);
        assertThat(reply.edeCode()).contains(16);
        assertThat(reply.edeText()).hasValueSatisfying(text -> assertThat(text).contains("12-3/456"));
        assertThat(upstream.queries()).isZero();
    }

    @Test
    void exactEntryDoesNotCoverSubdomains() throws IOException {
        assertThat(ask(1, "example.kz", true).rcode()).isEqualTo(NXDOMAIN);
        assertThat(ask(2, "www.example.kz", true).rcode()).isEqualTo(NOERROR);
    }

    @Test
    void allowedNameIsForwardedAndTheAnswerRelayedWithTheClientsId() throws IOException {
        WireClient.Reply reply = ask(0xbeef, "allowed.kz", true);

        assertThat(reply.id()).isEqualTo(0xbeef);
        assertThat(reply.rcode()).isEqualTo(NOERROR);
        assertThat(reply.answers()).isEqualTo(1);
        byte[] tail = Arrays.copyOfRange(reply.bytes(), reply.bytes().length - 4, reply.bytes().length);
        assertThat(tail).isEqualTo(FakeUpstream.ANSWER_ADDRESS);
        assertThat(upstream.queries()).isEqualTo(1);
    }

    @Test
    void anUpstreamAnswerLargerThanAnyDefaultBufferIsRelayedWholeToAClientThatTakesIt() throws IOException {
        WireClient.Reply reply = WireClient.send(server.address(), WireClient.query(0x0b16, "big.allowed.kz", 65_535),
                2_000).orElseThrow();

        assertThat(reply.rcode()).isEqualTo(NOERROR);
        assertThat(reply.answers()).isEqualTo(FakeUpstream.BIG_ANSWER_RECORDS);
        assertThat(reply.bytes().length).isGreaterThan(4_096);
        assertThat(WireClient.truncated(reply.bytes())).isFalse();
        byte[] tail = Arrays.copyOfRange(reply.bytes(), reply.bytes().length - 4, reply.bytes().length);
        assertThat(tail).isEqualTo(FakeUpstream.ANSWER_ADDRESS);
    }

    @Test
    void anAnswerToAnotherQuestionIsDroppedAndTheClientNeverSeesIt() throws IOException {
        upstream.answerWith(FakeUpstream.Question.OTHER_NAME);

        WireClient.Reply reply = ask(0x0d01, "allowed.kz", true);

        assertThat(reply.rcode()).as("the forged answer dropped; the upstream never answered the question").isEqualTo(SERVFAIL);
        assertThat(reply.answers()).isZero();

        upstream.answerWith(FakeUpstream.Question.UPPER_CASE); // the same question, another case: taken
        assertThat(ask(0x0d02, "allowed.kz", true).answers()).isEqualTo(1);
    }

    @Test
    void anAnswerLargerThanTheClientTakesIsCutToItsQuestionWithTcSoItAsksOverTcp() throws IOException {
        for (byte[] query : List.of(WireClient.query(0x0c01, "big.allowed.kz", false),
                WireClient.query(0x0c02, "big.allowed.kz", true))) {   // no EDNS: 512 bytes; EDNS 1232
            WireClient.Reply reply = WireClient.send(server.address(), query, 2_000).orElseThrow();

            assertThat(WireClient.truncated(reply.bytes())).isTrue();
            assertThat(reply.answers()).isZero();
            assertThat(reply.bytes().length).isLessThanOrEqualTo(512);
            assertThat(reply.id()).isEqualTo(((query[0] & 0xff) << 8) | (query[1] & 0xff));
        }
        assertThat(ask(0x0c03, "allowed.kz", false).answers()).as("a small answer is whole").isEqualTo(1);
    }

    @Test
    void noQueryIsAnsweredFromAnUnloadedBlocklistNotEvenAllowedOnes() throws IOException {
        blocklist.set(Optional.empty());

        WireClient.Reply restricted = ask(1, "casino.kz", true);
        WireClient.Reply allowed = ask(2, "allowed.kz", true);

        assertThat(restricted.rcode()).isEqualTo(REFUSED);
        assertThat(restricted.edeCode()).contains(14);
        assertThat(allowed.rcode()).isEqualTo(REFUSED);
        assertThat(upstream.queries()).isZero();
    }

    @Test
    void newBlocklistStateAppliesToTheNextQuery() throws IOException {
        assertThat(ask(1, "new.kz", true).rcode()).isEqualTo(NOERROR);

        blocklist.set(Optional.of(Matcher.builder().addDomain("new.kz", false, "13").build()));

        assertThat(ask(2, "new.kz", true).rcode()).isEqualTo(NXDOMAIN);
    }

    @Test
    void silentUpstreamEarnsServfail() throws IOException {
        upstream.silence();

        WireClient.Reply reply = ask(9, "allowed.kz", true);

        assertThat(reply.rcode()).isEqualTo(SERVFAIL);
        assertThat(reply.edeCode()).contains(23);
    }

    @Test
    void everyAnswerIsCountedByHowItWasAnsweredAndADroppedForgeryToo() throws IOException {
        assertThat(ask(1, "casino.kz", true).rcode()).isEqualTo(NXDOMAIN);
        assertThat(ask(2, "allowed.kz", true).rcode()).isEqualTo(NOERROR);
        assertThat(ask(3, "second.allowed.kz", true).rcode()).isEqualTo(NOERROR);
        byte[] loop = WireClient.query(4, "casino.kz", false);
        loop[12] = (byte) 0xc0; // the question name points at itself
        loop[13] = 12;
        assertThat(WireClient.send(server.address(), loop, 2_000)).isPresent();
        upstream.answerWith(FakeUpstream.Question.OTHER_NAME); // dropped: the client hears nothing until its timeout
        assertThat(ask(5, "allowed.kz", true).rcode()).isEqualTo(SERVFAIL);
        blocklist.set(Optional.empty());
        assertThat(ask(6, "allowed.kz", true).rcode()).isEqualTo(REFUSED);

        DnsCounters counters = server.counters();
        assertThat(counters.count(DnsCounters.Answer.RESTRICTED)).isEqualTo(1);
        assertThat(counters.count(DnsCounters.Answer.RELAYED)).isEqualTo(2);
        assertThat(counters.count(DnsCounters.Answer.MALFORMED)).isEqualTo(1);
        assertThat(counters.count(DnsCounters.Answer.UPSTREAM_TIMEOUT)).isEqualTo(1);
        assertThat(counters.count(DnsCounters.Answer.NOT_READY)).isEqualTo(1);
        assertThat(counters.count(DnsCounters.Answer.OVERLOADED)).isZero();
        assertThat(counters.droppedAnswers()).isEqualTo(1);
    }

    @Test
    void queryWithoutEdnsGetsNoOptRecord() throws IOException {
        WireClient.Reply reply = ask(3, "casino.kz", false);

        assertThat(reply.rcode()).isEqualTo(NXDOMAIN);
        assertThat(reply.edeCode()).isEmpty();
    }

    @Test
    void malformedPacketsAreDroppedOrFormerrAndTheNodeKeepsAnswering() throws IOException {
        assertThat(WireClient.send(server.address(), new byte[] {1, 2, 3}, 300)).as("too short: dropped").isEmpty();

        byte[] loop = WireClient.query(5, "casino.kz", false);
        loop[12] = (byte) 0xc0; // the question name points at itself
        loop[13] = 12;
        assertThat(WireClient.send(server.address(), loop, 2_000)).hasValueSatisfying(
                reply -> assertThat(reply.rcode()).isEqualTo(FORMERR));

        byte[] response = WireClient.query(6, "casino.kz", false);
        response[2] |= (byte) 0x80;
        assertThat(WireClient.send(server.address(), response, 300)).as("a response: ignored").isEmpty();

        byte[] label64 = WireClient.query(7, "a".repeat(64) + ".kz", false);
        assertThat(WireClient.send(server.address(), label64, 2_000)).hasValueSatisfying(
                reply -> assertThat(reply.rcode()).isEqualTo(FORMERR));

        byte[] nul = WireClient.query(9, "casinoo.kz", false);
        nul[17] = 0; // "casi\0o": a label the codec reads but no answer can carry
        assertThat(WireClient.send(server.address(), nul, 2_000)).hasValueSatisfying(
                reply -> assertThat(reply.rcode()).isEqualTo(FORMERR));

        byte[] dotted = WireClient.query(10, "casinoXkz", false);
        dotted[19] = '.'; // one label "casino.kz", which as text reads like two
        assertThat(WireClient.send(server.address(), dotted, 2_000)).hasValueSatisfying(
                reply -> assertThat(reply.rcode()).isEqualTo(FORMERR));

        assertThat(ask(8, "casino.kz", true).rcode()).isEqualTo(NXDOMAIN);
    }

    @Test
    void overTcpNamesTheNodeCannotJudgeAreAnsweredFormerrNotCutOff() throws IOException {
        byte[] nul = WireClient.query(11, "casinoo.kz", false);
        nul[17] = 0;
        byte[] dotted = WireClient.query(12, "casinoXkz", false);
        dotted[19] = '.';
        byte[] tooLong = WireClient.query(13, "x".repeat(63) + "." + "x".repeat(63) + "." + "x".repeat(63) + "."
                + "x".repeat(60) + ".casino.kz", false);
        byte[] loop = WireClient.query(15, "casino.kz", false);
        loop[12] = (byte) 0xc0; // the question name points at itself
        loop[13] = 12;
        for (byte[] query : List.of(nul, dotted, tooLong, loop)) {
            assertThat(WireClient.sendOverTcp(server.address(), query, 2_000)).hasValueSatisfying(reply -> {
                assertThat(reply.id()).isEqualTo(((query[0] & 0xff) << 8) | (query[1] & 0xff));
                assertThat(reply.rcode()).isEqualTo(FORMERR);
            });
        }
        assertThat(WireClient.sendOverTcp(server.address(), WireClient.query(14, "casino.kz", false), 2_000))
                .hasValueSatisfying(reply -> assertThat(reply.rcode()).isEqualTo(NXDOMAIN));
    }

    @Test
    void digSeesNxdomainWithTheExtendedErrorAndForwardedAnswers() throws Exception {
        String restricted = dig("sub.casino.kz");
        String allowed = dig("allowed.kz");

        assertThat(restricted).contains("status: NXDOMAIN").contains("EDE: 16 (Censored)").contains("12-3/456");
        assertThat(allowed).contains("status: NOERROR").contains("192.0.2.53");
    }

    @Test
    void overTcpRestrictedNamesAreNxdomainWithTheExtendedErrorAndOthersAreForwardedOverTcp() throws Exception {
        String restricted = dig("sub.casino.kz", "+tcp");
        String allowed = dig("allowed.kz", "+tcp");

        assertThat(restricted).contains("status: NXDOMAIN").contains("EDE: 16 (Censored)").contains("12-3/456");
        assertThat(allowed).contains("status: NOERROR").contains("192.0.2.53");
        assertThat(upstream.tcpQueries()).isEqualTo(1);
        assertThat(upstream.queries()).as("nothing went over UDP").isZero();
    }

    @Test
    void overTcpASilentUpstreamEarnsServfailAndAnUnloadedBlocklistRefusal() throws Exception {
        upstream.silence();
        assertThat(dig("allowed.kz", "+tcp")).contains("status: SERVFAIL");

        blocklist.set(Optional.empty());
        assertThat(dig("casino.kz", "+tcp")).contains("status: REFUSED");
    }

    @Test
    void withASinkholeRestrictedNamesPointAtItStillCarryingTheExtendedError() throws Exception {
        Sinkhole sinkhole = new Sinkhole(Optional.of((Inet4Address) InetAddress.getByName("192.0.2.99")),
                Optional.of((Inet6Address) InetAddress.getByName("2001:db8::99")));
        try (DnsFilterServer sinkholing = DnsFilterServer.start(new DnsFilterServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofMillis(500),
                sinkhole), blocklist::get)) {
            String port = Integer.toString(sinkholing.address().getPort());

            String a = digAt(port, "www.casino.kz", "A");
            String aaaa = digAt(port, "www.casino.kz", "AAAA", "+tcp");
            String mx = digAt(port, "www.casino.kz", "MX");

            assertThat(a).contains("status: NOERROR").contains("192.0.2.99").contains("EDE: 16 (Censored)");
            assertThat(aaaa).contains("status: NOERROR").contains("2001:db8::99").contains("EDE: 16 (Censored)");
            assertThat(mx).contains("status: NOERROR").contains("ANSWER: 0").contains("EDE: 16 (Censored)");
            assertThat(digAt(port, "allowed.kz", "A")).contains("192.0.2.53");
        }
    }

    @Test
    void twentyUpstreamQueriesLeaveFromAtLeastFifteenPorts() throws IOException {
        for (int i = 0; i < 20; i++) {
            assertThat(ask(0x2000 + i, "allowed" + i + ".kz", true).rcode()).isEqualTo(NOERROR);
        }

        assertThat(new HashSet<>(upstream.sourcePorts())).hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void forgedAnswersForEveryIdFromAnotherSocketRacingTheUpstreamPoisonNoQuery() throws Exception {
        try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DnsFilterServer patient = DnsFilterServer.start(new DnsFilterServer.Settings(
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofSeconds(10)),
                     blocklist::get)) {
            upstream.delayAnswers(Duration.ofMillis(100));
            upstream.beforeAnswering((query, node) -> {
                // The forger knows the question and the very port the query left by; it tries every ID.
                byte[] forged = FakeUpstream.answer(query, FORGED_ADDRESS);
                try {
                    for (int id = 0; id < 65_536; id++) {
                        forged[0] = (byte) (id >> 8);
                        forged[1] = (byte) id;
                        forger.send(new DatagramPacket(forged, forged.length, node));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            for (int i = 0; i < 3; i++) {
                WireClient.Reply reply = WireClient.send(patient.address(), WireClient.query(0x3000 + i, "victim" + i + ".kz", true),
                        15_000).orElseThrow();
                assertThat(reply.rcode()).isEqualTo(NOERROR);
                assertThat(lastAddress(reply)).as("query %d", i).isEqualTo(FakeUpstream.ANSWER_ADDRESS);
            }
        }
    }

    @Test
    void forgedAnswersFromTheUpstreamsOwnAddressToAPortSeenInUseLandOnlyByRareChance() throws IOException {
        // The strongest blind forger: it sends from the upstream's own address and port, knows each
        // query's ID (which the node draws at random) and a port the node sent from a moment ago, and
        // answers before the upstream does. With one port for every query all of them were poisoned;
        // with a pool of 512 a query leaves by the same socket one time in 512.
        AtomicInteger seenPort = new AtomicInteger(-1);
        upstream.beforeAnswering((query, node) -> {
            if (seenPort.get() >= 0) {
                try {
                    upstream.sendFromUpstream(FakeUpstream.answer(query, FORGED_ADDRESS),
                            new InetSocketAddress(node.getAddress(), seenPort.get()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            seenPort.set(node.getPort());
        });

        int poisoned = 0;
        for (int i = 0; i < 10; i++) {
            WireClient.Reply reply = ask(0x4000 + i, "victim" + i + ".kz", true);
            if (Arrays.equals(lastAddress(reply), FORGED_ADDRESS)) {
                poisoned++;
            }
        }

        assertThat(poisoned).as("poisoned answers of 10 (3 or more happen about once in a million runs)")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void anUpstreamAnswerHoldingARestrictedAddressIsNxdomainNamingTheDirectiveOverUdpAndTcp() throws Exception {
        blocklist.set(Optional.of(Matcher.builder()
                .addDomain("casino.kz", true, "12-3/456")
                .addNetwork(new byte[] {(byte) 192, 0, 2, 0}, 24, "12-3/460")
                .addNetwork(new byte[] {(byte) 198, 51, 100, 9}, 32, "12-3/461")
                .build()));

        WireClient.Reply network = ask(0x0e01, "allowed.kz", true);
        String overTcp = dig("allowed.kz", "+tcp");
        upstream.answerAddress(new byte[] {(byte) 198, 51, 100, 9});
        WireClient.Reply single = ask(0x0e02, "other.kz", true);
        upstream.answerAddress(new byte[] {(byte) 198, 51, 100, 10});
        WireClient.Reply neighbour = ask(0x0e03, "neighbour.kz", true);

        assertThat(network.rcode()).isEqualTo(NXDOMAIN);
        assertThat(network.edeCode()).contains(16);
        assertThat(network.edeText()).hasValueSatisfying(text -> assertThat(text).contains("12-3/460"));
        assertThat(overTcp).contains("status: NXDOMAIN").contains("EDE: 16 (Censored)").contains("12-3/460");
        assertThat(single.rcode()).isEqualTo(NXDOMAIN);
        assertThat(single.edeText()).hasValueSatisfying(text -> assertThat(text).contains("12-3/461"));
        assertThat(neighbour.rcode()).as("an address outside every restricted network passes").isEqualTo(NOERROR);
        assertThat(lastAddress(neighbour)).isEqualTo(new byte[] {(byte) 198, 51, 100, 10});
    }

    @Test
    void negativeAnswersCarryThePolicyZonesSoaWithTheNegativeTtl() throws Exception {
        try (DnsFilterServer node = DnsFilterServer.start(new DnsFilterServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofMillis(500),
                Sinkhole.none(), "rpz.example.", 300, 100, false, false), blocklist::get)) {
            String port = Integer.toString(node.address().getPort());

            String udp = digAt(port, "www.casino.kz", "A");
            String tcp = digAt(port, "www.casino.kz", "A", "+tcp");

            for (String answer : List.of(udp, tcp)) {
                assertThat(answer).contains("status: NXDOMAIN").contains("AUTHORITY: 1")
                        .containsPattern("rpz\\.example\\.\\s+300\\s+IN\\s+SOA\\s+localhost\\. hostmaster\\.localhost\\. \\d+ 3600 600 604800 300");
            }
        }
        assertThat(dig("www.casino.kz")).as("the default: the zone the gateway serves, 60 s")
                .containsPattern("rpz\\.qaqpa\\.\\s+60\\s+IN\\s+SOA");
    }

    @Test
    void oneClientCannotFillTheInFlightTableForOthers() throws Exception {
        upstream.silence();
        try (DnsFilterServer node = DnsFilterServer.start(new DnsFilterServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofSeconds(2),
                Sinkhole.none(), "rpz.qaqpa.", 60, 5, false, false), blocklist::get);
             DatagramSocket greedy = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            greedy.setSoTimeout(1_500);
            for (int i = 0; i < 6; i++) {
                byte[] query = WireClient.query(0x5000 + i, "greedy" + i + ".kz", true);
                greedy.send(new DatagramPacket(query, query.length, node.address()));
            }
            byte[] buffer = new byte[4_096];
            DatagramPacket first = new DatagramPacket(buffer, buffer.length);
            greedy.receive(first); // the first answer: before any upstream timeout, the one over the quota
            WireClient.Reply refused = WireClient.parse(Arrays.copyOf(buffer, first.getLength()));

            assertThat(refused.id()).isEqualTo(0x5005);
            assertThat(refused.rcode()).isEqualTo(SERVFAIL);
            assertThat(refused.edeText()).contains("too many queries in flight from this client");

            Optional<WireClient.Reply> other = WireClient.send(new InetSocketAddress("127.0.0.1", node.address().getPort()),
                    WireClient.query(0x5100, "patient.kz", true), new InetSocketAddress("127.0.0.2", 0), 3_000);
            assertThat(other).as("another client is still forwarded (and waits for the silent upstream)")
                    .hasValueSatisfying(reply -> assertThat(reply.edeText()).contains("the upstream resolver did not answer"));
            assertThat(upstream.queries()).as("5 of the greedy client's, 1 of the other's").isEqualTo(6);
        }
    }

    @Test
    void with0x20NamesLeaveInARandomCaseTheClientGetsItsOwnBackAndAnAnswerInAnotherCaseIsDropped() throws Exception {
        try (DnsFilterServer node = DnsFilterServer.start(new DnsFilterServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofMillis(500),
                Sinkhole.none(), "rpz.qaqpa.", 60, 100, false, true), blocklist::get)) {
            String name = "www.lowercaseletters.kz";
            byte[] query = WireClient.query(0x6001, name, true);
            WireClient.Reply reply = WireClient.send(node.address(), query, 3_000).orElseThrow();

            assertThat(reply.rcode()).isEqualTo(NOERROR);
            assertThat(lastAddress(reply)).isEqualTo(FakeUpstream.ANSWER_ADDRESS);
            String sent = new String(upstream.received().get(0), 12, name.length() + 2, StandardCharsets.US_ASCII);
            assertThat(sent.toLowerCase(java.util.Locale.ROOT)).as("the same name").isEqualTo(new String(query, 12,
                    name.length() + 2, StandardCharsets.US_ASCII));
            assertThat(sent).as("19 letters, each upper case by a coin toss").containsPattern("[A-Z]").containsPattern("[a-z]");
            assertThat(Arrays.copyOfRange(reply.bytes(), 12, 12 + name.length() + 2))
                    .as("the client's own case").isEqualTo(Arrays.copyOfRange(query, 12, 12 + name.length() + 2));

            upstream.answerWith(FakeUpstream.Question.UPPER_CASE); // an upstream (or forger) that does not echo the case
            WireClient.Reply dropped = WireClient.send(node.address(), WireClient.query(0x6002, name, true), 3_000)
                    .orElseThrow();
            assertThat(dropped.rcode()).as("the answer in another case is dropped: the upstream never answered")
                    .isEqualTo(SERVFAIL);
        }
    }

    @Test
    void withUpstreamTcpUdpQueriesAreForwardedOverTcpAndAnsweredByDatagram() throws Exception {
        blocklist.set(Optional.of(Matcher.builder().addDomain("casino.kz", true, "12-3/456")
                .addNetwork(new byte[] {(byte) 198, 51, 100, 9}, 32, "12-3/461").build()));
        try (DnsFilterServer node = DnsFilterServer.start(new DnsFilterServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream.address(), Duration.ofMillis(500),
                Sinkhole.none(), "rpz.qaqpa.", 60, 100, true, false), blocklist::get)) {
            WireClient.Reply allowed = WireClient.send(node.address(), WireClient.query(0x7001, "allowed.kz", true), 3_000)
                    .orElseThrow();
            WireClient.Reply big = WireClient.send(node.address(), WireClient.query(0x7002, "big.allowed.kz", false), 3_000)
                    .orElseThrow();
            upstream.answerAddress(new byte[] {(byte) 198, 51, 100, 9});
            WireClient.Reply restricted = WireClient.send(node.address(), WireClient.query(0x7003, "other.kz", true), 3_000)
                    .orElseThrow();

            assertThat(allowed.id()).isEqualTo(0x7001);
            assertThat(allowed.rcode()).isEqualTo(NOERROR);
            assertThat(lastAddress(allowed)).isEqualTo(FakeUpstream.ANSWER_ADDRESS);
            assertThat(WireClient.truncated(big.bytes())).as("too large for 512 bytes: TC").isTrue();
            assertThat(big.id()).isEqualTo(0x7002);
            assertThat(restricted.rcode()).isEqualTo(NXDOMAIN);
            assertThat(restricted.edeText()).hasValueSatisfying(text -> assertThat(text).contains("12-3/461"));
            assertThat(upstream.tcpQueries()).isEqualTo(3);
            assertThat(upstream.queries()).as("nothing over UDP").isZero();
        }
    }

    /** The address of a relayed answer's last record (the fake upstream adds no OPT record). */
    private static byte[] lastAddress(WireClient.Reply reply) {
        return Arrays.copyOfRange(reply.bytes(), reply.bytes().length - 4, reply.bytes().length);
    }

    private static String digAt(String port, String name, String type, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", port, name, type, "+tries=1", "+time=3"));
        command.addAll(List.of(options));
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(dig.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private WireClient.Reply ask(int id, String name, boolean edns) throws IOException {
        return WireClient.send(server.address(), WireClient.query(id, name, edns), 3_000)
                .orElseThrow(() -> new AssertionError("no answer for " + name + "; upstream saw " + upstream.queries() + " queries"));
    }

    private String dig(String name, String... options) throws Exception {
        return digAt(Integer.toString(server.address().getPort()), name, "A", options);
    }
}
