package kz.qaqpa.gateway.config;

/** A setting is missing, unreadable or invalid; the message is one line that names it and its source. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
