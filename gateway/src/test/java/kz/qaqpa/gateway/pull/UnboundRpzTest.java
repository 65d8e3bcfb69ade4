package kz.qaqpa.gateway.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.blocklist.dns.WireClient;
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
    private final List<Process> unbounds = new ArrayList<>();
    private Process front;

    @BeforeEach
    void start() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/sbin/unbound")))
                .as("Unbound is a test peer: apt-get install unbound (.ci/run does)").isTrue();
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        token = authority.register("resolver-operator", "OPERATOR", "PULL_ONLY", null);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process unbound : unbounds) {
            unbound.destroy();
            unbound.waitFor();
        }
        authority.close();
    }

    @Test
    void resolverAnswersNxdomainAfterTheRestrictAndResolvesAgainAfterTheRestore() throws Exception {
        int upstreamPort = freePort();
        unbound("upstream", upstreamPort, """
                  local-zone: "kz." static
                  local-data: "casino.kz. A 192.0.2.1"
                  local-data: "www.casino.kz. A 192.0.2.1"
                  local-data: "allowed.kz. A 192.0.2.2"
                """);
        InetSocketAddress resolver = new InetSocketAddress("127.0.0.1", freePort());
        authority.submit(DirectiveJson.restrict("RPZ-1").domain("casino.kz", true));

        pullZone();
        front = resolver(resolver.getPort(), upstreamPort);

        await().atMost(Duration.ofSeconds(20)).until(() -> rcode(resolver, "allowed.kz").orElse(-1) == NOERROR);
        assertThat(rcode(resolver, "www.casino.kz")).contains(NXDOMAIN);
        assertThat(rcode(resolver, "casino.kz")).contains(NXDOMAIN);

        authority.submit(DirectiveJson.restore("RPZ-2", "RPZ-1"));
        pullZone();
        front.destroy();
        front.waitFor();
        front = resolver(resolver.getPort(), upstreamPort);

        await().atMost(Duration.ofSeconds(20)).until(() -> rcode(resolver, "www.casino.kz").orElse(-1) == NOERROR);
        assertThat(rcode(resolver, "casino.kz")).contains(NOERROR);
    }

    private void pullZone() throws Exception {
        int exit = Qaqpa.commandLine().execute("pull", "--url", "http://127.0.0.1:" + authority.gateway.httpPort(),
                "--token", token, "--dir", dir.resolve("zone").toString(), "--format", "rpz",
                "--gateway-certificate", dir.resolve("data/pki/gateway.pem").toString());
        assertThat(exit).isZero();
    }

    private Process resolver(int port, int upstreamPort) throws IOException {
        return unbound("front", port, """
                  module-config: "respip iterator"
                  qname-minimisation: no
                forward-zone:
                  name: "."
                  forward-addr: 127.0.0.1@%d
                rpz:
                  name: "rpz.qaqpa."
                  zonefile: "%s"
                """.formatted(upstreamPort, dir.resolve("zone/blocklist.rpz")));
    }

    private Process unbound(String name, int port, String rest) throws IOException {
        Path config = dir.resolve(name + ".conf");
        Files.writeString(config, """
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-daemonize: no
                  use-syslog: no
                  logfile: ""
                  username: ""
                  chroot: ""
                  directory: "%s"
                  pidfile: ""
                  do-not-query-localhost: no
                %s""".formatted(port, dir, rest));
        Process process = new ProcessBuilder("/usr/sbin/unbound", "-d", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        unbounds.add(process);
        return process;
    }

    private static Optional<Integer> rcode(InetSocketAddress resolver, String name) throws IOException {
        return WireClient.send(resolver, WireClient.query(42, name, false), 2_000).map(WireClient.Reply::rcode);
    }

    /** A port free for both UDP and TCP just now. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0); DatagramSocket udp = new DatagramSocket(tcp.getLocalPort())) {
                return tcp.getLocalPort();
            } catch (IOException e) {
                // taken for UDP; try another
            }
        }
        throw new IOException("no free port");
    }
}
