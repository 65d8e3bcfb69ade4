/**
 * Delivery of directives to their recipients — telecom operators (байланыс операторлары) and the
 * State Technical Service: the outbox, retries with per-recipient order, and one adapter per channel
 * (webhook, FTP/FTPS drop, e-mail). Filled in by the fan-out work; nothing is delivered yet.
 */
package kz.qaqpa.adapters;
