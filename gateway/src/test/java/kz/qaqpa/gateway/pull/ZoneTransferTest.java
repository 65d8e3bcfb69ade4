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
                .containsExactlyInAnyOrder("new.kz.rpz.qaqpa.", "kept.kz.rpz.qaqpa.", "*.kept.kz.rpz.qaqpa.");
        assertThat(records(dig("rpz.qaqpa.", "IXFR=" + head))).singleElement().asString().contains("SOA");
        assertThat(last).isLessThan(head);
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

    private InetSocketAddress xfr() {
        return new InetSocketAddress("127.0.0.1", authority.gateway.zoneTransfers().orElseThrow().port());
    }

    private String dig(String zone, String type) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "dig", ".txt");
        Process dig = new ProcessBuilder("dig", "@127.0.0.1", "-p", String.valueOf(xfr().getPort()), zone, type,
                "+nocomments", "+nostats", "+tries=1", "+time=5").redirectErrorStream(true).redirectOutput(out.toFile()).start();
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
