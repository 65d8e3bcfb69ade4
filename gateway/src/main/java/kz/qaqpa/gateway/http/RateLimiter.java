package kz.qaqpa.gateway.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import kz.qaqpa.gateway.config.RateLimits.Rate;

/**
 * A token bucket per client address (Bucket4j) in front of the endpoints open to everyone: a client
 * over its rate gets 429 {@code rate-limited} with {@code Retry-After}, and nothing is done. The
 * authority's calls (with the admin token) are not counted.
 *
 * <p>The buckets live in this gateway member; behind a load balancer over several members a client
 * gets at most the rate times the number of members. At most {@link #MAX_CLIENTS} addresses are
 * remembered, the least recently seen forgotten first, so that a flood of addresses cannot fill
 * the memory; a forgotten client starts again with a full bucket.
 */
public final class RateLimiter implements Handler<RoutingContext> {

    static final int MAX_CLIENTS = 100_000;

    private final String what;
    private final Rate rate;
    private final Function<String, String> keyOf;
    private final String from;
    private final Authentication authentication;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /**
     * @param what what is limited, in words, for the problem's detail ("look-ups")
     * @param time the clock buckets refill by ({@link TimeMeter#SYSTEM_NANOTIME} in service)
     */
    public RateLimiter(String what, Rate rate, Authentication authentication, TimeMeter time) {
        this(what, rate, authentication, time, Function.identity(), "one address");
    }

    private RateLimiter(String what, Rate rate, Authentication authentication, TimeMeter time, Function<String, String> keyOf, String from) {
        this.keyOf = keyOf;
        this.from = from;
        this.what = what;
        this.rate = rate;
        this.authentication = authentication;
        this.time = time;
    }

    /**
     * A limit per network instead of per address: an IPv4 address counts with its /24, an IPv6
     * address with its /56 (what one subscriber is usually given), so that a sender cannot pass the
     * limit by spreading over the addresses it holds.
     */
    public static RateLimiter perNetwork(String what, Rate rate, Authentication authentication, TimeMeter time) {
        return new RateLimiter(what, rate, authentication, time, RateLimiter::network, "one network (/24, /56)");
    }

    /** The network an address counts with: its /24 (IPv4) or /56 (IPv6). */
    static String network(String address) {
        IPAddress ip = new IPAddressString(address).getAddress();
        if (ip == null) {
            return address;
        }
        return ip.toPrefixBlock(ip.isIPv4() ? 24 : 56).toCanonicalString();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (authentication.isAuthority(ctx)) {
            ctx.next();
            return;
        }
        OptionalLong wait = take(keyOf.apply(ctx.request().remoteAddress().hostAddress()));
        if (wait.isEmpty()) {
            ctx.next();
            return;
        }
        long seconds = wait.getAsLong();
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        ctx.fail(new ProblemException(ProblemType.RATE_LIMITED, "at most " + rate.describe(what)
                + " from " + from + "; try again in "
                + seconds + " s", Map.of("retryAfter", seconds)));
    }

    /** Takes one request from the client's bucket: empty when allowed, else whole seconds to wait (at least 1). */
    public OptionalLong take(String client) {
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(client, key -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(rate.requests()).refillGreedy(rate.requests(), rate.per()))
                    .withCustomTimePrecision(time)
                    .build());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        long nanos = probe.getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
