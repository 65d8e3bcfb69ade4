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
 * An operator's real resolver enforcing the list: Unbound (Debian's) loads the policy zone that
 * {@code qaqpa pull} writes and answers NXDOMAIN for a name after its RESTRICT, and resolves it
 * again after the RESTORE. A second Unbound with local data stands in for the internet.
 */
class UnboundRpzTest {

    private static final int NXDOMAIN = 3;
    private static final int NOERROR = 0;

    @TempDir
    Path dir;

    private SigningGateway authority;
    private String token;
    private Unbounds unbounds;

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
        unbounds.close();
        authority.close();
    }

    @Test
    void resolverAnswersNxdomainAfterTheRestrictAndResolvesAgainAfterTheRestore() throws Exception {
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

    private void pullZone() {
        int exit = Qaqpa.commandLine().execute("pull", "--url", "http://127.0.0.1:" + authority.gateway.httpPort(),
                "--token", token, "--dir", dir.resolve("zone").toString(), "--format", "rpz",
                "--gateway-certificate", dir.resolve("data/pki/gateway.pem").toString());
        assertThat(exit).isZero();
    }
}
