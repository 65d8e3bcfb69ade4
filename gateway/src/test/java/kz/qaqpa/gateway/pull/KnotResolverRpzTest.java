package kz.qaqpa.gateway.pull;

import static kz.qaqpa.gateway.pull.Unbounds.rcode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.cli.Qaqpa;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knot Resolver (Debian's kresd 5.6) enforcing the list from the file {@code qaqpa pull} writes,
 * configured as the README shows: it watches the file and applies a new one without a restart.
 * It has no {@code rpz-ip}: an address target is not enforced by it, as the README says.
 */
class KnotResolverRpzTest {

    private static final Path KRESD = Path.of("/usr/sbin/kresd");
    private static final int NXDOMAIN = 3;
    private static final int NOERROR = 0;

    @TempDir
    Path dir;

    private SigningGateway authority;
    private String token;
    private Unbounds unbounds;
    private Process kresd;

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.isExecutable(KRESD)).as("Knot Resolver is a test peer: apt-get install knot-resolver (.ci/run does)")
                .isTrue();
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        token = authority.register("knot-operator", "OPERATOR", "PULL_ONLY", null);
        unbounds = new Unbounds(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (kresd != null) {
            kresd.destroy();
            kresd.waitFor();
        }
        unbounds.close();
        authority.close();
    }

    @Test
    void kresdEnforcesThePulledFileAndFollowsItWhenPullRewritesIt() throws Exception {
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
        kresd = new ProcessBuilder(KRESD.toString(), "-n", "-c", config.toString(), home.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("kresd.log").toFile()).start();

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
                "--token", token, "--dir", dir.resolve("zone").toString(), "--format", "rpz",
                "--gateway-certificate", dir.resolve("data/pki/gateway.pem").toString());
        assertThat(exit).isZero();
    }
}
