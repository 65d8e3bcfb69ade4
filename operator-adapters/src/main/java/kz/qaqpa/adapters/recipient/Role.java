package kz.qaqpa.adapters.recipient;

/** What a recipient is: an operator receives what it is addressed; the State Technical Service everything. */
public enum Role { OPERATOR, STATE_TECHNICAL_SERVICE }
