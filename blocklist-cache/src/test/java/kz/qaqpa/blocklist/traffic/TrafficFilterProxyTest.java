package kz.qaqpa.blocklist.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.net.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic filter behind Debian's HAProxy, which sends it PROXY protocol v2 as an operator's
 * balancer would: curl is the subscriber, {@code openssl s_server} the HTTPS origin (a certificate
 * openssl made), the JDK's HTTP server the plain one. HAProxy's {@code set-dst} plays the part of
 * the original destination, one frontend per destination.
 */
class TrafficFilterProxyTest {

    private static final String PAGE = "a page of the origin, served as it is\n";

    @TempDir
    Path dir;

    private Peers peers;
    private TrafficFilter filter;
    private final AtomicReference<Optional<Matcher>> list = new AtomicReference<>(Optional.empty());
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private int tlsFront;
    private int httpFront;
    private int addressFront;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Peers.HAPROXY) && Files.isExecutable(Peers.CURL)
                && Files.isExecutable(Peers.OPENSSL), "apt-get install haproxy curl openssl");
        peers = new Peers(dir);
        int[] ports = FreePorts.take(6);
        int tlsOrigin = ports[0];
        int httpOrigin = ports[1];
        tlsFront = ports[2];
        httpFront = ports[3];
        addressFront = ports[4];
        int node = ports[5];

        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("page.txt"), PAGE.repeat(2_000));
        peers.certificate("allowed.test", "restricted.test", "shop.test");
        peers.httpsOrigin(new InetSocketAddress("127.0.0.1", tlsOrigin), root);
        peers.httpOrigin(new InetSocketAddress("127.0.0.1", httpOrigin));
        // The restricted address: an origin that must not be reached.
        peers.httpOrigin(new InetSocketAddress("127.0.0.3", httpOrigin));

        filter = TrafficFilter.start(TrafficFilter.Settings.of(
                        List.of(new TrafficFilter.Listener(TrafficFilter.Mode.PROXY, new InetSocketAddress("127.0.0.1", node))),
                        Optional.of("https://qaqpa.example.kz")),
                () -> list.get(), metrics);
        peers.haproxy("""
                defaults
                  mode tcp
                  # One subscriber connection, one connection to the node: HAProxy retries a connection the
                  # node closes at once (an address refusal), which would count that refusal twice.
                  retries 0
                  timeout connect 5s
                  timeout client 30s
                  timeout server 30s
                frontend tls
                  bind 127.0.0.1:%1$d
                  tcp-request connection set-dst ipv4(127.0.0.1)
                  tcp-request connection set-dst-port int(%4$d)
                  default_backend node
                frontend http
                  bind 127.0.0.1:%2$d
                  tcp-request connection set-dst ipv4(127.0.0.1)
                  tcp-request connection set-dst-port int(%5$d)
                  default_backend node
                frontend address
                  bind 127.0.0.1:%3$d
                  tcp-request connection set-dst ipv4(127.0.0.3)
                  tcp-request connection set-dst-port int(%5$d)
                  default_backend node
                backend node
                  server node 127.0.0.1:%6$d send-proxy-v2
                """.formatted(tlsFront, httpFront, addressFront, tlsOrigin, httpOrigin, node),
                new InetSocketAddress("127.0.0.1", tlsFront));
    }

    @AfterEach
    void stop() throws Exception {
        if (filter != null) {
            filter.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void restrictedNamesUrlsAndAddressesAreRefusedEachAsItsProtocolAllowsAndTheRestPassesUntouched() throws Exception {
        list.set(Optional.of(Matcher.builder()
                .addDomain("restricted.test", true, "N-SNI/2026")
                .addUrl("http://shop.test/bad?x=1", "shop.test", "N-URL")
                .addNetwork(InetAddress.getByName("127.0.0.3").getAddress(), 32, "N-IP")
                .build()));

        Peers.Result tls = https("restricted.test", "/page.txt");
        assertThat(tls.exit()).as("the handshake fails: %s", tls.error()).isEqualTo(35);
        assertThat(tls.error()).contains("unrecognized name");
        Peers.Result subdomain = https("www.restricted.test", "/page.txt");
        assertThat(subdomain.exit()).as("a name below one restricted with its subdomains").isEqualTo(35);

        Peers.Result allowed = https("allowed.test", "/page.txt");
        assertThat(allowed.exit()).as(allowed.error()).isZero();
        assertThat(allowed.output()).as("byte for byte what the origin serves").isEqualTo(PAGE.repeat(2_000));

        Peers.Result bad = http("/bad?x=1");
        assertThat(bad.output()).startsWith("HTTP/1.1 451 Unavailable For Legal Reasons")
                .contains("Link: <https://qaqpa.example.kz/public/v1/directives/N-URL>; rel=\"blocked-by\"")
                .contains("Connection: close")
                .contains("№ N-URL нұсқамасы").contains("предписания уполномоченного органа № N-URL")
                .contains("directive No. N-URL");
        Peers.Result same = http("/./bad?%78=1");
        assertThat(same.output()).as("the same URL written otherwise").startsWith("HTTP/1.1 451");
        Peers.Result good = http("/good?x=1");
        assertThat(good.output()).startsWith("HTTP/1.1 200").endsWith("origin /good?x=1");

        Peers.Result address = peers.curl("-i", "http://127.0.0.1:" + addressFront + "/");
        assertThat(address.exit()).as("refused: %s", address.output()).isNotZero();
        assertThat(address.output()).doesNotContain("HTTP/");
        assertThat(peers.requests).as("what reached the origins").containsExactly("127.0.0.1 /good?x=1");

        assertThat(metrics.counter("qaqpa_traffic_refused_total", "reason", "sni", "directive", "N-SNI/2026").count())
                .isEqualTo(2);
        assertThat(metrics.counter("qaqpa_traffic_refused_total", "reason", "url", "directive", "N-URL").count())
                .isEqualTo(2);
        assertThat(metrics.counter("qaqpa_traffic_refused_total", "reason", "address", "directive", "N-IP").count())
                .isEqualTo(1);

        // The RESTORE: the next state lifts each.
        list.set(Optional.of(Matcher.builder().build()));
        assertThat(https("restricted.test", "/page.txt").exit()).isZero();
        assertThat(http("/bad?x=1").output()).startsWith("HTTP/1.1 200").endsWith("origin /bad?x=1");
        assertThat(peers.curl("-i", "http://127.0.0.1:" + addressFront + "/lifted").output()).endsWith("origin /lifted");
        assertThat(peers.requests).as("now it reaches the address").contains("127.0.0.3 /lifted");
    }

    @Test
    void withoutAVerifiedListNothingPasses() throws Exception {
        double before = metrics.counter("qaqpa_traffic_refused_total", "reason", "no_list", "directive", "").count();
        Peers.Result tls = https("allowed.test", "/page.txt");
        assertThat(tls.exit()).as("refused before any list").isNotZero();
        assertThat(http("/good").output()).doesNotContain("origin");
        assertThat(peers.requests).isEmpty();
        assertThat(metrics.counter("qaqpa_traffic_refused_total", "reason", "no_list", "directive", "").count() - before)
                .as("each refused, counted (HAProxy may try a refused server twice)").isGreaterThanOrEqualTo(2);
    }

    private Peers.Result https(String host, String path) throws Exception {
        return peers.curl("--cacert", dir.resolve("cert.pem").toString(),
                "--connect-to", host + ":443:127.0.0.1:" + tlsFront, "https://" + host + path);
    }

    private Peers.Result http(String target) throws Exception {
        return peers.curl("-i", "--path-as-is", "--connect-to", "shop.test:80:127.0.0.1:" + httpFront, "http://shop.test" + target);
    }
}
