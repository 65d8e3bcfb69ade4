package kz.qaqpa.gateway.pull;

import static kz.qaqpa.gateway.pull.Unbounds.rcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.cli.Qaqpa;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' real resolvers enforcing the list from the file {@code qaqpa pull} writes, configured
 * as the README shows: Unbound (Debian's 1.17) loads it and answers NXDOMAIN for a name after its
 * RESTRICT, and resolves it again after the RESTORE; Knot Resolver (kresd 5.6) watches the file
 * and takes each new one without a restart — and has no {@code rpz-ip}, so an address target is
 * not enforced by it, as the README says. An Unbound with local data stands in for the internet.
 */
class PulledZoneResolversTest {

    private static final Path KRESD = Path.of("/usr/sbin/kresd");

    private static final int NXDOMAIN = 3;
    private static final int NOERROR = 0;

    @TempDir
    Path dir;

    private SigningGateway authority;
    private String token;
    private Unbounds unbounds;
    private ResolverProcess kresd;

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.isExecutable(Unbounds.BINARY))
                .as("Unbound is a test peer: apt-get install unbound (.ci/run does)").isTrue();
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        token = authority.register("resolver-operator", "OPERATOR", "PULL_ONLY", null);
        unbounds = new Unbounds(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (kresd != null) {
            kresd.close();
        }
        unbounds.close();
        authority.close();
    }

    @Test
    void unboundAnswersNxdomainAfterTheRestrictAndResolvesAgainAfterTheRestore() throws Exception {
        int internet = unbounds.internet();
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        String zone = "  zonefile: \"" + dir.resolve("zone/blocklist.rpz") + "\"\n";
        authority.submit(DirectiveJson.restrict("RPZ-1").domain("casino.kz", true));

        pullZone();
        Process front = unbounds.resolver("front", resolver.getPort(), internet, zone);

        await().atMost(Duration.ofSeconds(20)).until(() -> rcode(resolver, "allowed.kz").orElse(-1) == NOERROR);
        assertThat(rcode(resolver, "www.casino.kz")).contains(NXDOMAIN);
        assertThat(rcode(resolver, "casino.kz")).contains(NXDOMAIN);

        authority.submit(DirectiveJson.restore("RPZ-2", "RPZ-1"));
        pullZone();
        front.destroy();
        front.waitFor();
        unbounds.resolver("front-again", resolver.getPort(), internet, zone);

        await().atMost(Duration.ofSeconds(20)).until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NOERROR);
        assertThat(rcode(resolver, "casino.kz")).contains(NOERROR);
    }

    @Test
    void knotResolverEnforcesThePulledFileAndFollowsItWhenPullRewritesIt() throws Exception {
        assertThat(Files.isExecutable(KRESD)).as("Knot Resolver is a test peer: apt-get install knot-resolver (.ci/run does)")
                .isTrue();
        int internet = unbounds.internet();
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", Unbounds.freePort());
        authority.submit(DirectiveJson.restrict("K-1").domain("casino.kz", true).target("IP", "203.0.113.99"));
        pullZone();

        Path home = Files.createDirectories(dir.resolve("kresd"));
        Path config = home.resolve("kresd.conf");
        Files.writeString(config, """
                net.listen('127.0.0.1', %d, { kind = 'dns' })
                cache.size = 10 * MB
                trust_anchors.remove('.')  -- the test's "internet" is not signed
                policy.add(policy.rpz(policy.DENY, '%s', true))
                policy.add(policy.all(policy.FORWARD('127.0.0.1@%d')))
                """.formatted(resolver.getPort(), dir.resolve("zone/blocklist.rpz"), internet));
        kresd = new ResolverProcess(List.of(KRESD.toString(), "-n", "-c", config.toString(), home.toString()),
                home.resolve("kresd.log"));

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> rcode(resolver, "allowed.kz").orElse(-1) == NOERROR);
        assertThat(rcode(resolver, "www.casino.kz")).contains(NXDOMAIN);
        assertThat(rcode(resolver, "casino.kz")).contains(NXDOMAIN);
        assertThat(rcode(resolver, "ip.kz")).as("no rpz-ip in Knot Resolver: the address target is not enforced by it")
                .contains(NOERROR);

        authority.submit(DirectiveJson.restore("K-2", "K-1"));
        authority.submit(DirectiveJson.restrict("K-3").domain("later.kz", false));
        pullZone();

        await().atMost(Duration.ofSeconds(20)).until(() -> rcode(resolver, "later.kz").orElse(-1) == NXDOMAIN);
        assertThat(rcode(resolver, "www.casino.kz")).contains(NOERROR);
    }

    private void pullZone() {
        int exit = Qaqpa.commandLine().execute("pull", "--url", "http://127.0.0.1:" + authority.gateway.httpPort(),
                "--token-file", TestGateways.tokenFile(dir, token).toString(), "--dir", dir.resolve("zone").toString(), "--format", "rpz",
                "--gateway-certificate", dir.resolve("data/pki/gateway.pem").toString());
        assertThat(exit).isZero();
    }
}
