package kz.qaqpa.gateway.fanout;

/** The fan-out's routes: the register of recipients, deliveries and acknowledgements. */
public record FanOutHandlers(RecipientHandlers recipients, DeliveryHandlers deliveries) {
}
