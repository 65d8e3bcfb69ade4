package kz.qaqpa.gateway.blocklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.traffic.TrafficFilter;
import kz.qaqpa.directives.targets.InvalidTargetException;
import kz.qaqpa.directives.targets.TargetNormaliser;
import kz.qaqpa.directives.targets.UrlTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * For random target sets and random HTTP requests, the traffic filter's verdict — asked over TCP,
 * as a subscriber asks it — is the reference verdict worked out here from the targets as intake
 * normalised them ({@link TargetNormaliser}): a request is refused under the most specific
 * restricted domain its host falls under, else under the URL target the request's URL normalises
 * to (over plain HTTP on port 80, an {@code https} target of the same URL too), and passed otherwise.
 * The requests write the same URL in the many ways RFC 3986 allows: case, percent-encoding of
 * unreserved characters, dot segments, default ports, a trailing dot on the host.
 */
class TrafficVerdictPropertyTest {

    private static final String[] HOSTS = {"shop.kz", "www.shop.kz", "a.b.shop.kz", "news.kz", "xn--80ao21a.kz"};
    private static final String[] SEGMENTS = {"a", "b", "A", "~x", "%7Ex", "%41", "c%2Fd", ".", "..", "п", "%D0%BF", "x y"};
    private static final String[] QUERIES = {"", "?", "?q=1", "?Q=%31", "?a=b&c", "?%7e"};

    private HttpServer origin;
    private TrafficFilter filter;
    private final AtomicReference<Matcher> list = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        origin.start();
        filter = TrafficFilter.start(TrafficFilter.Settings.of(
                        List.of(new TrafficFilter.Listener(TrafficFilter.Mode.PROXY, new InetSocketAddress("127.0.0.1", 0))),
                        Optional.empty()),
                () -> Optional.ofNullable(list.get()), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        filter.close();
        origin.stop(0);
    }

    @Test
    void theNodesVerdictIsTheReferenceVerdictForRandomListsAndRequests() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int refused = 0;
        for (int trial = 0; trial < 30; trial++) {
            Reference reference = new Reference();
            Matcher.Builder builder = Matcher.builder();
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                String name = TargetNormaliser.domain(HOSTS[random.nextInt(HOSTS.length)], false).name();
                boolean subtree = random.nextBoolean();
                String directive = "D" + trial + "-" + i;
                // A target is in the list once (its key), under one directive.
                if (reference.domains.putIfAbsent(name + (subtree ? "/*" : ""), directive) == null) {
                    builder.addDomain(name, subtree, directive);
                }
            }
            for (int i = 0; i < 1 + random.nextInt(6); i++) {
                String written = (random.nextInt(4) == 0 ? "https" : "http") + "://" + HOSTS[random.nextInt(HOSTS.length)]
                        + (random.nextInt(5) == 0 ? ":8080" : "") + path(random) + QUERIES[random.nextInt(QUERIES.length)];
                UrlTarget url = TargetNormaliser.url(written);
                String directive = "U" + trial + "-" + i;
                if (reference.urls.putIfAbsent(url.url(), directive) == null) {
                    builder.addUrl(url.url(), url.host(), directive);
                }
            }
            list.set(builder.build());
            for (int request = 0; request < 20; request++) {
                String host = HOSTS[random.nextInt(HOSTS.length)];
                String port = random.nextInt(5) == 0 ? ":8080" : random.nextInt(4) == 0 ? ":80" : "";
                String hostHeader = (random.nextBoolean() ? host.toUpperCase(Locale.ROOT) : host) + (random.nextInt(6) == 0 ? "." : "") + port;
                String target = path(random) + QUERIES[random.nextInt(QUERIES.length)];
                String wire = target.replace(" ", "%20").replace("п", "%D0%BF");
                Optional<String> expected = reference.verdict(host, port, wire);
                String answer = ask(hostHeader, wire);
                String context = "seed " + seed + ", trial " + trial + ": GET " + wire + " Host: " + hostHeader
                        + " with " + reference;
                if (expected.isPresent()) {
                    refused++;
                    assertThat(answer).as(context).startsWith("HTTP/1.1 451").contains("№ " + expected.get() + " ");
                } else {
                    assertThat(answer).as(context).startsWith("HTTP/1.1 200");
                }
            }
        }
        assertThat(refused).as("the random requests hit restricted ones too (seed %d)", seed).isGreaterThan(20);
    }

    private static String path(Random random) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            path.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
        }
        return path.toString();
    }

    /** The verdict worked out from the targets as intake normalised them. */
    private static final class Reference {

        final Map<String, String> domains = new HashMap<>();
        final Map<String, String> urls = new HashMap<>();

        Optional<String> verdict(String host, String port, String target) {
            String exact = domains.get(host);
            if (exact != null) {
                return Optional.of(exact);
            }
            for (String name = host; name.contains("."); name = name.substring(name.indexOf('.') + 1)) {
                String subtree = domains.get(name + "/*");
                if (subtree != null) {
                    return Optional.of(subtree);
                }
            }
            String url;
            try {
                url = TargetNormaliser.url("http://" + host + port + target).url();
            } catch (InvalidTargetException e) {
                return Optional.empty();
            }
            String directive = urls.get(url);
            if (directive == null && !url.startsWith("http://" + host + ":")) {
                directive = urls.get("https" + url.substring(4));
            }
            return Optional.ofNullable(directive);
        }

        @Override
        public String toString() {
            return domains + " " + urls;
        }
    }

    private String ask(String host, String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(filter.addresses().get(0));
            socket.getOutputStream().write(("PROXY TCP4 10.0.0.1 127.0.0.1 40000 " + origin.getAddress().getPort() + "\r\n"
                    + "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (SocketException e) {
                // What came before a reset is the answer.
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
