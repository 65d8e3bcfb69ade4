package kz.qaqpa.gateway.pull;

import static kz.qaqpa.gateway.pull.Unbounds.rcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy zone by zone transfer: dig (AXFR, IXFR), a refused stranger, and Unbound as a secondary told by NOTIFY. */
class ZoneTransferTest {

    private static final int NXDOMAIN = 3;
    private static final int NOERROR = 0;
    private static final int REFUSED = 5;

    @TempDir
    Path dir;

    private SigningGateway authority;
    private Unbounds unbounds;

    @AfterEach
    void stop() throws Exception {
        if (unbounds != null) {
            unbounds.close();
        }
        authority.close();
    }

    @Test
    void axfrSendsTheWholeZoneAndIxfrOnlyWhatChangedSinceTheClientsSerial() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        long first = authority.submit(DirectiveJson.restrict("X-1").domain("casino.kz", true).domain("kept.kz", false)
                .target("IP", "203.0.113.9")).getLong("blocklistSerial");

        String axfr = dig("rpz.qaqpa.", "AXFR");
        assertThat(axfr.lines().filter(line -> line.contains("\tSOA\t"))).hasSize(2)
                .allSatisfy(soa -> assertThat(soa).contains(" " + first + " "));
        assertThat(axfr).containsPattern("(?m)^rpz\\.qaqpa\\.\\s+60\\s+IN\\s+NS\\s+localhost\\.$");
        // The zone as transferred is a valid zone by BIND's own checker (it refused one without an apex NS).
        Path dump = dir.resolve("axfr.zone");
        Files.writeString(dump, String.join("\n", records(axfr).subList(0, records(axfr).size() - 1)) + "\n");
        assertThat(Files.isExecutable(Bind.CHECKZONE)).as("apt-get install bind9-utils (.ci/run does)").isTrue();
        Process check = new ProcessBuilder(Bind.CHECKZONE.toString(), "rpz.qaqpa", dump.toString())
                .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(checked).isZero();
        assertThat(checked).contains("OK");
        assertThat(axfr).contains("casino.kz.rpz.qaqpa.", "*.casino.kz.rpz.qaqpa.", "kept.kz.rpz.qaqpa.",
                "32.9.113.0.203.rpz-ip.rpz.qaqpa.");

        authority.submit(DirectiveJson.restrict("X-2").domain("new.kz", false));
        long last = authority.submit(DirectiveJson.restore("X-3", "X-1")).getLong("blocklistSerial");
        authority.submit(DirectiveJson.restrict("X-4").domain("kept.kz", false)); // kept.kz stays: X-4 names it
        long head = authority.submit(DirectiveJson.restrict("X-5").domain("kept.kz", true)).getLong("blocklistSerial");

        List<String> ixfr = records(dig("rpz.qaqpa.", "IXFR=" + first));
        assertThat(ixfr.get(0)).contains("SOA").contains(" " + head + " ");
        assertThat(ixfr.get(1)).contains("SOA").contains(" " + first + " ");
        int added = 2;
        while (!ixfr.get(added).contains("SOA")) {
            added++;
        }
        assertThat(ixfr.subList(2, added)).as("deleted").extracting(ZoneTransferTest::owner).containsExactlyInAnyOrder(
                "casino.kz.rpz.qaqpa.", "*.casino.kz.rpz.qaqpa.", "32.9.113.0.203.rpz-ip.rpz.qaqpa.");
        assertThat(ixfr.subList(added + 1, ixfr.size() - 1)).as("added").extracting(ZoneTransferTest::owner)
                // kept.kz CNAME . was there at the client's serial (X-1) and is now (X-4): neither deleted nor added.
                .containsExactlyInAnyOrder("new.kz.rpz.qaqpa.", "*.kept.kz.rpz.qaqpa.");
        assertThat(records(dig("rpz.qaqpa.", "IXFR=" + head))).singleElement().asString().contains("SOA");
        assertThat(last).isLessThan(head);
    }

    @Test
    void aRecordTwoTargetsMakeIsInTheZoneOnceWhicheverWayItIsTakenAndLeavesItOnlyWithTheLastOfThem() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        String token = authority.register("zone-reader", "OPERATOR", "PULL_ONLY", null);
        long start = authority.submit(DirectiveJson.restrict("D-0").domain("other.kz", false)).getLong("blocklistSerial");
        // One directive naming both forms of each: dup.kz alone and with its subdomains, an address and its /32.
        long both = authority.submit(DirectiveJson.restrict("D-1").domain("dup.kz", false).domain("dup.kz", true)
                .target("IP", "203.0.113.99").target("CIDR", "203.0.113.99/32")).getLong("blocklistSerial");

        String axfr = dig("rpz.qaqpa.", "AXFR");
        String rpz = authority.as(token, "GET", "/api/v1/blocklist?format=rpz", null).body();
        String domains = authority.as(token, "GET", "/api/v1/blocklist?format=domains", null).body();

        assertThat(owners(records(axfr))).containsOnlyOnce(DUP, "*." + DUP, TRIGGER);
        assertThat(rpz.lines()).containsOnlyOnce("dup.kz CNAME .", "*.dup.kz CNAME .", "32.99.113.0.203.rpz-ip CNAME .");
        assertThat(domains.lines()).containsOnlyOnce("dup.kz");
        Path dump = dir.resolve("axfr.zone");
        Files.writeString(dump, String.join("\n", records(axfr).subList(0, records(axfr).size() - 1)) + "\n");
        Path file = dir.resolve("pulled.rpz");
        Files.writeString(file, rpz);
        for (Path zone : List.of(dump, file)) {
            assertThat(check(Bind.CHECKZONE.toString(), "rpz.qaqpa", zone.toString())).contains("OK");
            check(KZONECHECK.toString(), "-o", "rpz.qaqpa.", zone.toString());
        }
        assertThat(owners(added(records(dig("rpz.qaqpa.", "IXFR=" + start))))).containsExactlyInAnyOrder(DUP, "*." + DUP, TRIGGER);

        // Now in two directives: lifting one leaves every record the other still makes.
        authority.submit(DirectiveJson.restore("D-2", "D-1"));
        long split = authority.submit(DirectiveJson.restrict("D-3").domain("dup.kz", false).target("IP", "203.0.113.99"))
                .getLong("blocklistSerial");
        long second = authority.submit(DirectiveJson.restrict("D-4").domain("dup.kz", true).target("CIDR", "203.0.113.99/32"))
                .getLong("blocklistSerial");
        assertThat(owners(added(records(dig("rpz.qaqpa.", "IXFR=" + split))))).as("only the record D-3 did not make")
                .containsExactly("*." + DUP);
        long oneLifted = authority.submit(DirectiveJson.restore("D-5", "D-3")).getLong("blocklistSerial");
        List<String> nothingLeft = records(dig("rpz.qaqpa.", "IXFR=" + second));
        assertThat(deleted(nothingLeft)).as("D-4 still makes them all").isEmpty();
        assertThat(added(nothingLeft)).isEmpty();
        long bothLifted = authority.submit(DirectiveJson.restore("D-6", "D-4")).getLong("blocklistSerial");
        for (long from : List.of(oneLifted, second, both)) {
            List<String> ixfr = records(dig("rpz.qaqpa.", "IXFR=" + from));
            assertThat(owners(deleted(ixfr))).as("from %d", from).containsExactlyInAnyOrder(DUP, "*." + DUP, TRIGGER);
            assertThat(added(ixfr)).as("from %d", from).isEmpty();
        }
        assertThat(bothLifted).isGreaterThan(oneLifted);
    }

    @Test
    void powerDnsRecursorFollowsTheZoneByTsigThroughTargetsThatMakeOneRecordAndTheirRestore() throws Exception {
        assertThat(Files.isExecutable(PowerDns.RECURSOR)).as("apt-get install pdns-recursor (.ci/run does)").isTrue();
        unbounds = new Unbounds(dir);
        int internet = unbounds.internet();
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        Path keys = tsigKeys("pdns-transfer"); // and by TSIG, as the README shows for PowerDNS
        authority = new SigningGateway(dir, DeliverySettings.defaults(), new FeedSettings(FeedSettings.DEFAULT_RPZ_ORIGIN,
                "127.0.0.1", 0, FeedSettings.LOOPBACK, List.of()).withTsigKeys(keys));
        authority.submit(DirectiveJson.restrict("P-1").domain("casino.kz", true));

        try (PowerDns pdns = PowerDns.secondary(dir, resolver.getPort(), internet, xfr().getPort(), "pdns-transfer",
                secretOf(keys))) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NXDOMAIN);
            assertThat(rcode(resolver, "dup.kz")).contains(NOERROR);
            assertThat(rcode(resolver, "ip.kz")).contains(NOERROR);

            authority.submit(DirectiveJson.restrict("P-2").domain("dup.kz", false).domain("dup.kz", true)
                    .target("IP", "203.0.113.99").target("CIDR", "203.0.113.99/32"));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> rcode(resolver, "www.dup.kz").orElse(-1) == NXDOMAIN);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(pdns.log(), e);
            }
            // dup.kz and ip.kz were answered (NOERROR) just before: the packet cache keeps those for
            // packetcache-ttl (5 s here), then the policy applies — rpz-ip because the answer's address is restricted.
            await().atMost(Duration.ofSeconds(10)).until(() -> rcode(resolver, "dup.kz").orElse(-1) == NXDOMAIN
                    && rcode(resolver, "ip.kz").orElse(-1) == NXDOMAIN);

            authority.submit(DirectiveJson.restore("P-3", "P-2"));
            authority.submit(DirectiveJson.restrict("P-4").domain("later.kz", false));
            await().atMost(Duration.ofSeconds(30)).until(() -> rcode(resolver, "later.kz").orElse(-1) == NXDOMAIN);
            // The restored names answer again once the packet cache lets go of the policy answer it
            // gave a moment ago: within packetcache-ttl (5 s here), as the README tells operators.
            await().atMost(Duration.ofSeconds(10)).until(() -> rcode(resolver, "www.dup.kz").orElse(-1) == NOERROR
                    && rcode(resolver, "ip.kz").orElse(-1) == NOERROR);
            assertThat(rcode(resolver, "www.casino.kz")).contains(NXDOMAIN);
            assertThat(pdns.log()).doesNotContainIgnoringCase("duplicate");
        }
    }

    @Test
    void withTsigKeysTransfersMustBeSignedAndAreAnsweredSigned() throws Exception {
        Path keys = tsigKeys("rpz-transfer");
        authority = new SigningGateway(dir, DeliverySettings.defaults(), new FeedSettings(FeedSettings.DEFAULT_RPZ_ORIGIN,
                "127.0.0.1", 0, FeedSettings.LOOPBACK, List.of()).withTsigKeys(keys));
        authority.submit(DirectiveJson.restrict("T-1").domain("casino.kz", true));
        String secret = secretOf(keys);

        String signed = dig("rpz.qaqpa.", "AXFR", "-y", "hmac-sha256:rpz-transfer:" + secret);
        String soa = dig("rpz.qaqpa.", "SOA", "-y", "hmac-sha256:rpz-transfer:" + secret);
        String unsigned = dig("rpz.qaqpa.", "AXFR");
        String wrongSecret = dig("rpz.qaqpa.", "AXFR", "-y", "hmac-sha256:rpz-transfer:" + secretOf(tsigKeys("rpz-transfer")));
        String unknownKey = dig("rpz.qaqpa.", "SOA", "-y", "hmac-sha256:someone-else:" + secret);

        assertThat(signed).contains("*.casino.kz.rpz.qaqpa.").containsPattern("rpz-transfer\\.\\s+0\\s+ANY\\s+TSIG\\s+hmac-sha256")
                .doesNotContain("failed").doesNotContainIgnoringCase("tsig verify failure");
        assertThat(soa).containsPattern("rpz\\.qaqpa\\.\\s+60\\s+IN\\s+SOA").doesNotContainIgnoringCase("tsig verify failure");
        assertThat(unsigned).doesNotContain("CNAME").contains("Transfer failed");
        assertThat(wrongSecret).doesNotContain("CNAME");
        assertThat(unknownKey).as("NOTAUTH, unsigned: dig says it cannot verify it")
                .containsAnyOf("NOTAUTH", "Couldn't verify signature").doesNotContain("\tSOA\t");
    }

    @Test
    void bindAsASecondaryTakesTheZoneWithTsigAndFollowsItAndAWrongKeyGetsNothing() throws Exception {
        assertThat(Files.isExecutable(Bind.NAMED)).as("apt-get install bind9 (.ci/run does)").isTrue();
        Path keys = tsigKeys("rpz-transfer");
        unbounds = new Unbounds(dir);
        int internet = unbounds.internet();
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        InetSocketAddress wrong = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        authority = new SigningGateway(dir, DeliverySettings.defaults(), new FeedSettings(FeedSettings.DEFAULT_RPZ_ORIGIN,
                "127.0.0.1", 0, FeedSettings.LOOPBACK, List.of(resolver)).withTsigKeys(keys));
        authority.submit(DirectiveJson.restrict("S-1").domain("casino.kz", true));

        try (Bind bind = Bind.secondary(dir.resolve("right"), resolver.getPort(), internet, xfr().getPort(),
                Files.readString(keys), "rpz-transfer");
             Bind impostor = Bind.secondary(dir.resolve("wrong"), wrong.getPort(), internet, xfr().getPort(),
                     Files.readString(tsigKeys("rpz-transfer")), "rpz-transfer")) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NXDOMAIN);
            authority.submit(DirectiveJson.restore("S-2", "S-1"));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NOERROR);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(bind.log(), e);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> impostor.log().contains("rpz.qaqpa"));
            assertThat(rcode(wrong, "allowed.kz")).as("the impostor resolves, without the zone").contains(NOERROR);
            assertThat(impostor.log()).doesNotContain("Transfer completed").doesNotContain("transferred serial");
        }
    }

    @Test
    void aStrangerIsRefused() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults(),
                new FeedSettings(FeedSettings.DEFAULT_RPZ_ORIGIN, "127.0.0.1", 0, List.of("192.0.2.0/24"), List.of()));

        assertThat(rcode(xfr(), "rpz.qaqpa.")).contains(REFUSED);
        assertThat(dig("rpz.qaqpa.", "AXFR")).doesNotContain("CNAME");
    }

    @Test
    void unboundAsASecondaryFollowsTheZoneWhenNotified() throws Exception {
        assertThat(Files.isExecutable(Unbounds.BINARY)).as("apt-get install unbound (.ci/run does)").isTrue();
        unbounds = new Unbounds(dir);
        int internet = unbounds.internet();
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        authority = new SigningGateway(dir, DeliverySettings.defaults(), new FeedSettings(FeedSettings.DEFAULT_RPZ_ORIGIN,
                "127.0.0.1", 0, FeedSettings.LOOPBACK, List.of(resolver)));
        authority.submit(DirectiveJson.restrict("N-1").domain("casino.kz", true));
        int xfr = authority.gateway.zoneTransfers().orElseThrow().port();

        unbounds.resolver("secondary", resolver.getPort(), internet,
                "  primary: 127.0.0.1@" + xfr + "\n  allow-notify: 127.0.0.1\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NXDOMAIN);
        assertThat(rcode(resolver, "allowed.kz")).contains(NOERROR);

        authority.submit(DirectiveJson.restore("N-2", "N-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NOERROR);
    }

    @Test
    void bindAsASecondaryWithResponsePolicyLoadsTheZoneAndFollowsItWhenNotified() throws Exception {
        assertThat(Files.isExecutable(Bind.NAMED)).as("apt-get install bind9 (.ci/run does)").isTrue();
        unbounds = new Unbounds(dir);
        int internet = unbounds.internet();
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        authority = new SigningGateway(dir, DeliverySettings.defaults(), new FeedSettings(FeedSettings.DEFAULT_RPZ_ORIGIN,
                "127.0.0.1", 0, FeedSettings.LOOPBACK, List.of(resolver)));
        authority.submit(DirectiveJson.restrict("B-1").domain("casino.kz", true));

        try (Bind bind = Bind.secondary(dir, resolver.getPort(), internet, xfr().getPort())) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NXDOMAIN);
            assertThat(rcode(resolver, "allowed.kz")).contains(NOERROR);

            authority.submit(DirectiveJson.restore("B-2", "B-1"));

            await().atMost(Duration.ofSeconds(30)).until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NOERROR);
        }
    }

    private static final Path KZONECHECK = Path.of("/usr/bin/kzonecheck");
    private static final String DUP = "dup.kz.rpz.qaqpa.";
    private static final String TRIGGER = "32.99.113.0.203.rpz-ip.rpz.qaqpa.";

    /** Runs a zone checker; its output, once it has said the zone is good (exit 0). */
    private static String check(String... command) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(Path.of(command[0]))).as("apt-get install bind9-utils knot-dnssecutils (.ci/run does)")
                .isTrue();
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(String.join(" ", command) + ": " + said).isZero();
        return said;
    }

    /** The records an IXFR's one difference sequence deletes (between its second and third SOA). */
    private static List<String> deleted(List<String> ixfr) {
        int third = 2;
        while (!ixfr.get(third).contains("\tSOA\t")) {
            third++;
        }
        return ixfr.subList(2, third);
    }

    /** The records an IXFR's one difference sequence adds (between its third and last SOA). */
    private static List<String> added(List<String> ixfr) {
        int third = 2 + deleted(ixfr).size();
        return ixfr.subList(third + 1, ixfr.size() - 1);
    }

    private static List<String> owners(List<String> records) {
        return records.stream().map(ZoneTransferTest::owner).toList();
    }

    private InetSocketAddress xfr() {
        return new InetSocketAddress("127.0.0.1", authority.gateway.zoneTransfers().orElseThrow().port());
    }

    /** A TSIG key file as an operator makes it with BIND's tsig-keygen: a fresh secret each time. */
    private Path tsigKeys(String name) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(Bind.TSIG_KEYGEN)).as("apt-get install bind9 (.ci/run does)").isTrue();
        Path file = Files.createTempFile(dir, "tsig", ".key");
        Process keygen = new ProcessBuilder(Bind.TSIG_KEYGEN.toString(), "-a", "hmac-sha256", name)
                .redirectOutput(file.toFile()).start();
        assertThat(keygen.waitFor()).isZero();
        return file;
    }

    private static String secretOf(Path keys) throws IOException {
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("secret \"([^\"]+)\"").matcher(Files.readString(keys));
        assertThat(secret.find()).isTrue();
        return secret.group(1);
    }

    private String dig(String zone, String type, String... options) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "dig", ".txt");
        List<String> command = new java.util.ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(xfr().getPort()),
                zone, type, "+nocomments", "+nostats", "+tries=1", "+time=5"));
        command.addAll(List.of(options));
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        dig.waitFor();
        return Files.readString(out);
    }

    /** The resource records of dig's answer, one a line. */
    private static List<String> records(String dig) {
        return dig.lines().filter(line -> !line.isBlank() && !line.startsWith(";")).toList();
    }

    private static String owner(String record) {
        return record.split("\\s+")[0];
    }
}
