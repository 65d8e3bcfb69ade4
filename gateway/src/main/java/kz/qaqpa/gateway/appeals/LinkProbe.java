package kz.qaqpa.gateway.appeals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kz.qaqpa.directives.appeal.AppealMonitoring.Probe;

/**
 * Looks at a link the way a visitor's browser would, and keeps what it saw as evidence: the status
 * after following redirects (at most {@value #MAX_REDIRECTS}, a loop is an error), the final URL,
 * the SHA-256 of the body (its first {@value #MAX_BODY} bytes) and how long it took. A link that
 * does not answer within the timeout is recorded with the error, not retried on the spot.
 */
public final class LinkProbe implements AutoCloseable {

    static final int MAX_REDIRECTS = 5;
    static final int MAX_BODY = 5 << 20;

    private final WebClient client;
    private final Duration timeout;
    private final Clock clock;

    public LinkProbe(Vertx vertx, Duration timeout, Clock clock) {
        this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setConnectTimeout((int) timeout.toMillis()).setUserAgent("qaqpa-monitoring")
                .setVerifyHost(true));
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Probes a link; never throws for what the link does — that is the evidence. */
    public Probe probe(String link) {
        Instant started = clock.instant();
        long start = System.nanoTime();
        Set<String> seen = new LinkedHashSet<>();
        String url = link;
        try {
            for (int hop = 0; ; hop++) {
                if (!seen.add(url)) {
                    return failed(link, started, start, url, "redirect loop: " + String.join(" -> ", seen) + " -> " + url);
                }
                HttpResponse<Buffer> response = client.getAbs(url).timeout(timeout.toMillis()).send()
                        .toCompletionStage().toCompletableFuture().get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
                String location = response.getHeader("Location");
                if (response.statusCode() / 100 == 3 && location != null) {
                    if (hop == MAX_REDIRECTS) {
                        return failed(link, started, start, url, "more than " + MAX_REDIRECTS + " redirects");
                    }
                    url = URI.create(url).resolve(location).toString();
                    continue;
                }
                Buffer body = response.body();
                String sha256 = body == null ? null : sha256(body.getBytes(0, Math.min(body.length(), MAX_BODY)));
                return new Probe(link, started, response.statusCode(), url, sha256, elapsed(start), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(link, started, start, url, "interrupted");
        } catch (ExecutionException e) {
            return failed(link, started, start, url, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return failed(link, started, start, url, "no answer within " + timeout.toMillis() * 2 + " ms");
        } catch (IllegalArgumentException e) {
            return failed(link, started, start, url, "not a URL: " + e.getMessage());
        }
    }

    private static Probe failed(String link, Instant started, long start, String url, String error) {
        return new Probe(link, started, null, url, null, elapsed(start), error);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
