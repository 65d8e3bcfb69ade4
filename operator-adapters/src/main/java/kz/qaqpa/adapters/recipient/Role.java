package kz.qaqpa.adapters.recipient;

/**
 * What a recipient is: an operator receives what it is addressed; the State Technical Service
 * everything; the .KZ/.ҚАЗ registry (тіркеу орны) the requests to suspend a domain name; a
 * registrar (тіркеуші) the suspension cases of the names it registered (seed 000 §2, §17–26).
 */
public enum Role { OPERATOR, STATE_TECHNICAL_SERVICE, REGISTRY, REGISTRAR }
