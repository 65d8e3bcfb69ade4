package kz.qaqpa.adapters.outbox;

/** Where a delivery stands; OVERDUE is not a status but a reading of an unacknowledged one. */
public enum DeliveryStatus {
    /** Waiting for its (next) attempt. */
    QUEUED,
    /** The recipient took it. */
    DELIVERED,
    /** Given up after the configured age; logged and counted. */
    DEAD
}
