/**
 * Delivery of directives to their recipients — telecom operators (байланыс операторлары) and the
 * State Technical Service: the registered recipients ({@code recipient}), the outbox written in
 * the accepting transaction and its dispatcher with retries and per-recipient order
 * ({@code outbox}), and one adapter per channel — webhook, FTP/FTPS drop, e-mail ({@code channel}).
 */
package kz.qaqpa.adapters;
