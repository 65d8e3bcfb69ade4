package kz.qaqpa.adapters.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after the n-th failed attempt wait between half and all of
 * {@code first · 2^(n-1)}, at most {@code max}. The jitter keeps many recipients' retries after a
 * shared outage from arriving together.
 */
public record Backoff(Duration first, Duration max) {

    public Duration after(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), first.toMillis() << doublings);
        if (ceiling <= 0) {
            ceiling = max.toMillis();
        }
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
