package kz.qaqpa.adapters.outbox;

import java.time.Duration;

/**
 * How the dispatcher works.
 *
 * @param poll      how often it looks for due deliveries
 * @param backoff   how long it waits between attempts of one delivery
 * @param lease     how long an attempt may take before another dispatcher may try again
 * @param deadAfter the age at which an undelivered delivery is given up (DEAD)
 * @param workers   how many deliveries (to different recipients) may be under way at once
 */
public record DispatchSettings(Duration poll, Backoff backoff, Duration lease, Duration deadAfter, int workers) {
}
