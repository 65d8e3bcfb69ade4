package kz.qaqpa.adapters.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One delivery as the authority and its recipient see it.
 *
 * @param action          the directive's action, which says which acknowledgement is expected
 * @param acknowledgement ENFORCED or RESUMED, once the recipient confirmed
 * @param actedAt         when the recipient says it acted
 */
public record DeliveryView(long id, long directiveId, String recipientId, String action, DeliveryStatus status,
                           int attempts, Optional<String> lastError, Instant createdAt, Optional<Instant> deliveredAt,
                           Optional<String> acknowledgement, Optional<Instant> acknowledgedAt, Optional<Instant> actedAt) {

    /** Not acknowledged although the window for its action has passed since the directive was accepted. */
    public boolean overdue(Instant now, Duration restrictWindow, Duration restoreWindow) {
        return overdue(action, status, acknowledgement.isPresent(), createdAt, now, restrictWindow, restoreWindow);
    }

    /**
     * Whether a delivery of {@code action} made at {@code createdAt} is overdue at {@code now}: not
     * acknowledged, not given up (DEAD), and its action's window passed.
     */
    public static boolean overdue(String action, DeliveryStatus status, boolean acknowledged, Instant createdAt, Instant now,
                                  Duration restrictWindow, Duration restoreWindow) {
        Duration window = "RESTRICT".equals(action) ? restrictWindow : restoreWindow;
        return !acknowledged && status != DeliveryStatus.DEAD && now.isAfter(createdAt.plus(window));
    }
}
