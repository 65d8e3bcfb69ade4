package kz.qaqpa.gateway.fanout;

/** The fan-out's routes: the register of recipients, deliveries and acknowledgements, and who may call them. */
public record FanOutHandlers(Callers callers, RecipientHandlers recipients, DeliveryHandlers deliveries) {
}
