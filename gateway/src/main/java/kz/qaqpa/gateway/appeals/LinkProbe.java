package kz.qaqpa.gateway.appeals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.directives.appeal.AppealMonitoring.Probe;
import kz.qaqpa.gateway.config.ProbeSettings;

/**
 * Looks at a link the way a visitor's browser would, and keeps what it saw as evidence: the status
 * after following redirects (at most {@value #MAX_REDIRECTS}; a loop is an error), the final URL,
 * the SHA-256 of the body as it came over the wire, and how long it took.
 *
 * <p>The link is the appellant's, so a probe is fenced in: http and https only, on the allowed
 * ports; each hop's host resolved and every address judged by {@link ProbeDestinations} before the
 * connection, which then goes to the very address judged; at most {@code maxBodyBytes} read (and
 * hashed) as it streams, then the connection is cut and the cut noted; one deadline for the whole
 * probe, after which the request is reset. The body is never decompressed, so a gzip bomb is only
 * its compressed bytes. Probes run on an event loop and a resolver thread of their own, never on
 * the API's. Whatever happens — refusal, error, timeout — comes back as a {@link Probe}, never as
 * an exception, so that every attempt is kept.
 */
public final class LinkProbe implements AutoCloseable {

    static final int MAX_REDIRECTS = 5;
    private static final Set<String> SCHEMES = Set.of("http", "https");

    private final Vertx vertx;
    private final HttpClient client;
    private final ProbeSettings settings;
    private final ProbeDestinations destinations;
    private final Function<String, List<InetAddress>> resolver;
    private final Clock clock;

    public LinkProbe(ProbeSettings settings, Clock clock) {
        this(settings, clock, LinkProbe::resolve);
    }

    /** With a resolver of our choosing: tests use one that answers differently each time (DNS rebinding). */
    LinkProbe(ProbeSettings settings, Clock clock, Function<String, List<InetAddress>> resolver) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        this.settings = settings;
        this.destinations = new ProbeDestinations(settings.allowedNetworks());
        this.resolver = resolver;
        this.clock = clock;
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(false)
                .setVerifyHost(true)
                .setForceSni(true)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.deadline().toMillis()));
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.concurrency()));
    }

    /** Probes a link; the future always succeeds — what the link does is the evidence. */
    public Future<Probe> probe(String link) {
        Attempt attempt = new Attempt(link, clock.instant(), System.nanoTime());
        long timer = vertx.setTimer(settings.deadline().toMillis(), id -> attempt.cut(
                "no whole answer within " + settings.deadline().toMillis() + " ms"));
        vertx.runOnContext(nothing -> attempt.hop(link));
        return attempt.result.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    /**
     * A refusal by a filter between the probe and the site — 451, or a {@code blocked-by} link
     * (RFC 7725), a traffic-filtering node's answer — says nothing about whether the material
     * is still there: noted, for the authority to judge.
     */
    private static String blocked(HttpClientResponse response) {
        boolean blockedBy = response.headers().getAll("Link").stream()
                .anyMatch(link -> link.toLowerCase(Locale.ROOT).replace(" ", "").contains("rel=\"blocked-by\""));
        return response.statusCode() == 451 || blockedBy
                ? "a filter's refusal (451 or blocked-by), not the site: says nothing of removal" : null;
    }

    private static String notes(String first, String second) {
        return second == null ? first : first + "; " + second;
    }

    /** One probe: its hops, the request in flight, and the one result it comes to. */
    private final class Attempt {

        private final String link;
        private final Instant started;
        private final long start;
        private final Set<String> seen = new LinkedHashSet<>();
        private final Promise<Probe> result = Promise.promise();
        private String url;
        private HttpClientRequest request;

        Attempt(String link, Instant started, long start) {
            this.link = link;
            this.started = started;
            this.start = start;
            this.url = link;
        }

        void hop(String next) {
            url = next;
            if (!seen.add(next)) {
                fail("redirect loop: " + String.join(" -> ", seen) + " -> " + next);
                return;
            }
            if (seen.size() > MAX_REDIRECTS + 1) {
                fail("more than " + MAX_REDIRECTS + " redirects");
                return;
            }
            URI uri;
            try {
                uri = new URI(next);
            } catch (URISyntaxException e) {
                fail("not a URL: " + e.getMessage());
                return;
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme)) {
                fail("refused: scheme '" + scheme + "' (http and https only)");
                return;
            }
            String host = uri.getHost();
            if (host == null) {
                fail("not a URL: no host");
                return;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            vertx.executeBlocking(() -> resolver.apply(bareHost), false).onComplete(resolved -> {
                if (resolved.failed()) {
                    fail("cannot resolve " + bareHost + ": " + resolved.cause().getMessage());
                    return;
                }
                Optional<InetAddress> target = Optional.empty();
                String refusal = "no address";
                for (InetAddress address : resolved.result()) {
                    Optional<String> refused = destinations.refusal(address);
                    if (refused.isEmpty()) {
                        target = Optional.of(address);
                        break;
                    }
                    refusal = refused.get();
                }
                if (target.isEmpty()) {
                    fail("refused: " + refusal + " (" + bareHost + ")");
                    return;
                }
                if (!settings.allowedPorts().contains(port)) {
                    fail("refused: port " + port + " (allowed: " + settings.allowedPorts() + "; probe-allow-ports)");
                    return;
                }
                send(uri, scheme, host, port, target.get());
            });
        }

        private void send(URI uri, String scheme, String host, int port, InetAddress address) {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                    .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).setPort(port)
                    .setSsl(scheme.equals("https"))
                    .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                    .setFollowRedirects(false)
                    .putHeader("User-Agent", settings.userAgent())
                    .putHeader("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                    .putHeader("Accept-Encoding", "identity");
            settings.proxy().ifPresentOrElse(
                    proxy -> options.setProxyOptions(new ProxyOptions().setType(ProxyType.HTTP)
                            .setHost(proxy.getHostString()).setPort(proxy.getPort())),
                    // Connect to the address judged, not to whatever the name resolves to a moment later.
                    () -> options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress())));
            client.request(options).compose(sent -> {
                if (result.future().isComplete()) {
                    sent.reset();
                    return Future.failedFuture("cut");
                }
                request = sent;
                return sent.send();
            }).onComplete(answered -> {
                if (answered.failed()) {
                    fail(answered.cause().getClass().getSimpleName() + ": " + answered.cause().getMessage());
                    return;
                }
                HttpClientResponse response = answered.result();
                String location = response.getHeader("Location");
                if (response.statusCode() / 100 == 3 && location != null) {
                    request.reset();
                    try {
                        hop(uri.resolve(location.strip()).toString());
                    } catch (IllegalArgumentException e) {
                        fail("not a URL in Location: " + e.getMessage());
                    }
                    return;
                }
                read(response);
            });
        }

        /** Hashes the body as it streams, up to the limit; cuts the connection there. */
        private void read(HttpClientResponse response) {
            MessageDigest sha256 = Sha256.digest();
            long[] read = {0};
            response.handler(chunk -> {
                if (result.future().isComplete()) {
                    return;
                }
                long room = settings.maxBodyBytes() - read[0];
                int take = (int) Math.min(room, chunk.length());
                sha256.update(chunk.getBytes(0, take));
                read[0] += take;
                if (take < chunk.length()) {
                    complete(new Probe(link, started, response.statusCode(), url, Sha256.hex(sha256), elapsed(), null,
                            notes("truncated at " + settings.maxBodyBytes() + " bytes", blocked(response))));
                    request.reset();
                }
            });
            response.exceptionHandler(error -> fail(error.getClass().getSimpleName() + ": " + error.getMessage()));
            response.endHandler(end -> complete(new Probe(link, started, response.statusCode(), url, Sha256.hex(sha256), elapsed(),
                    null, blocked(response))));
        }

        /** The deadline passed: the request is reset and the probe recorded as cut. */
        void cut(String why) {
            fail(why); // first: the reset below makes the stream fail too, and the first result is kept
            if (request != null) {
                request.reset();
            }
        }

        private void fail(String error) {
            complete(new Probe(link, started, null, url, null, elapsed(), error, null));
        }

        private void complete(Probe probe) {
            result.tryComplete(probe);
        }

        private long elapsed() {
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host", e);
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
