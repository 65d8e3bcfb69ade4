package kz.qaqpa.adapters.recipient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import kz.qaqpa.directives.identity.EmailAddress;

/**
 * A recipient's channel and its settings, checked when registered so that a delivery never fails
 * for a setting that could have been refused at once.
 *
 * <ul>
 *   <li>WEBHOOK: {@code url} (http or https), {@code trustedCertificate} (as for FTP);
 *   <li>FTP: {@code host}, {@code port} (default 21), {@code user}, {@code password}, {@code directory}
 *       (default the login directory), {@code tls} (explicit FTPS, default false),
 *       {@code trustedCertificate} (PEM: the server's certificate or its CA, instead of the JVM's trust store);
 *   <li>EMAIL: {@code to} (addresses), {@code from}, {@code host}, {@code port} (default 25),
 *       {@code user} and {@code password} (optional, SMTP AUTH), {@code tls} (implicit SMTPS, default false),
 *       {@code starttls} (STARTTLS on a plain port, default false), {@code trustedCertificate} (as for FTP);
 *   <li>PULL_ONLY: nothing.
 * </ul>
 *
 * A password is sent only inside TLS: an FTP channel without {@code tls}, or an EMAIL channel with
 * a password but neither {@code tls} nor {@code starttls}, is refused unless it says
 * {@code allowPlaintextCredentials: true} (and is logged as a warning). Passwords are never shown
 * ({@link #shown()}) and are kept sealed ({@link #storedJson}).
 */
public record ChannelSettings(ChannelKind kind, ObjectNode values) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECRETS = Set.of("password");
    private static final Map<ChannelKind, Set<String>> KEYS = Map.of(
            ChannelKind.WEBHOOK, Set.of("url", "trustedCertificate"),
            ChannelKind.FTP, Set.of("host", "port", "user", "password", "directory", "tls", "trustedCertificate",
                    "allowPlaintextCredentials"),
            ChannelKind.EMAIL, Set.of("to", "from", "host", "port", "user", "password", "tls", "starttls",
                    "trustedCertificate", "allowPlaintextCredentials"),
            ChannelKind.PULL_ONLY, Set.of());

    /**
     * Checks settings for a channel.
     *
     * @throws InvalidRecipientException listing every problem
     */
    public static ChannelSettings of(ChannelKind kind, JsonNode values) {
        List<String> problems = new ArrayList<>();
        ObjectNode object = values == null || values.isNull() ? JSON.createObjectNode() : null;
        if (object == null) {
            if (!values.isObject()) {
                throw new InvalidRecipientException(List.of("settings: must be an object"));
            }
            object = (ObjectNode) values.deepCopy();
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.get(kind).contains(name)) {
                problems.add("settings." + name + ": not a setting of " + kind);
            }
        }
        switch (kind) {
            case WEBHOOK -> {
                Optional<String> url = text(object, "url", true, problems);
                url.ifPresent(value -> {
                    try {
                        URI uri = URI.create(value);
                        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                            problems.add("settings.url: an http or https URL with a host");
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add("settings.url: not a URL");
                    }
                });
                certificate(object, problems);
            }
            case FTP -> {
                text(object, "host", true, problems);
                port(object, problems);
                text(object, "user", true, problems);
                text(object, "password", true, problems);
                text(object, "directory", false, problems);
                flag(object, "tls", problems);
                flag(object, "allowPlaintextCredentials", problems);
                if (!isTrue(object, "tls") && !isTrue(object, "allowPlaintextCredentials")) {
                    problems.add("settings.tls: the FTP password would cross the network in clear; set tls: true"
                            + " (FTPS), or allowPlaintextCredentials: true");
                }
                certificate(object, problems);
            }
            case EMAIL -> {
                JsonNode to = object.get("to");
                if (to == null || !to.isArray() || to.isEmpty()) {
                    problems.add("settings.to: a non-empty array of e-mail addresses");
                } else {
                    to.forEach(address -> {
                        if (!address.isTextual() || !EmailAddress.isValid(address.textValue())) {
                            problems.add("settings.to: " + address + " is not an e-mail address");
                        }
                    });
                }
                text(object, "from", true, problems).filter(from -> !EmailAddress.isValid(from))
                        .ifPresent(from -> problems.add("settings.from: not an e-mail address"));
                text(object, "host", true, problems);
                port(object, problems);
                text(object, "user", false, problems);
                Optional<String> password = text(object, "password", false, problems);
                flag(object, "tls", problems);
                flag(object, "starttls", problems);
                flag(object, "allowPlaintextCredentials", problems);
                if (isTrue(object, "tls") && isTrue(object, "starttls")) {
                    problems.add("settings.starttls: either tls (SMTPS) or starttls, not both");
                }
                if (password.isPresent() && !isTrue(object, "tls") && !isTrue(object, "starttls")
                        && !isTrue(object, "allowPlaintextCredentials")) {
                    problems.add("settings.starttls: the SMTP password would cross the network in clear; set tls or"
                            + " starttls: true, or allowPlaintextCredentials: true");
                }
                certificate(object, problems);
            }
            case PULL_ONLY -> {
                // nothing to reach
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRecipientException(problems);
        }
        return new ChannelSettings(kind, object);
    }

    /** Reads settings stored by {@link #storedJson}, opening their secrets. */
    public static ChannelSettings stored(ChannelKind kind, String json, SecretBox secrets, String recipientId) {
        ObjectNode values;
        try {
            values = (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored settings of a " + kind + " recipient are not JSON", e);
        }
        for (String secret : SECRETS) {
            JsonNode value = values.get(secret);
            if (value != null && value.isTextual()) {
                values.put(secret, secrets.open(value.textValue(), recipientId + "/" + secret));
            }
        }
        return new ChannelSettings(kind, values);
    }

    /** The settings as the database keeps them: secrets sealed for this recipient. */
    public String storedJson(SecretBox secrets, String recipientId) {
        ObjectNode stored = values.deepCopy();
        for (String secret : SECRETS) {
            JsonNode value = stored.get(secret);
            if (value != null && value.isTextual()) {
                stored.put(secret, secrets.seal(value.textValue(), recipientId + "/" + secret));
            }
        }
        return stored.toString();
    }

    /** Whether settings as stored ({@code json}) hold a secret in clear, kept from before sealing. */
    boolean hasSecretsInClear(String json) {
        try {
            JsonNode stored = JSON.readTree(json);
            return SECRETS.stream().map(stored::get)
                    .anyMatch(value -> value != null && value.isTextual() && !SecretBox.isSealed(value.textValue()));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether the channel may send its password without TLS (its owner said so). */
    public boolean allowsPlaintextCredentials() {
        return flag("allowPlaintextCredentials");
    }

    /** The settings with secrets masked, for showing. */
    public ObjectNode shown() {
        ObjectNode copy = values.deepCopy();
        SECRETS.forEach(secret -> {
            if (copy.has(secret)) {
                copy.put(secret, "***");
            }
        });
        return copy;
    }

    /** What the channel reads, typed: the settings were checked when they were registered or stored. */
    public Endpoint endpoint() {
        return switch (kind) {
            case WEBHOOK -> new Endpoint.Webhook(URI.create(text("url")), optional("trustedCertificate"));
            case FTP -> new Endpoint.Ftp(text("host"), port(), text("user"), text("password"), optional("directory"),
                    flag("tls"), optional("trustedCertificate"));
            case EMAIL -> new Endpoint.Email(list("to"), text("from"), text("host"), port(), optional("user"),
                    optional("password"), flag("tls"), flag("starttls"), optional("trustedCertificate"),
                    flag("allowPlaintextCredentials"));
            case PULL_ONLY -> new Endpoint.PullOnly();
        };
    }

    private String text(String name) {
        JsonNode value = values.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private Optional<String> optional(String name) {
        return Optional.ofNullable(text(name));
    }

    private OptionalInt port() {
        JsonNode value = values.get("port");
        return value == null || value.isNull() ? OptionalInt.empty() : OptionalInt.of(value.intValue());
    }

    private boolean flag(String name) {
        JsonNode value = values.get(name);
        return value != null && value.booleanValue();
    }

    private List<String> list(String name) {
        List<String> list = new ArrayList<>();
        JsonNode value = values.get(name);
        if (value != null) {
            value.forEach(item -> list.add(item.asText()));
        }
        return List.copyOf(list);
    }

    private static Optional<String> text(ObjectNode object, String name, boolean required, List<String> problems) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add("settings." + name + ": required");
            }
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > 1000
                || value.textValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            problems.add("settings." + name + ": a one-line text of at most 1000 characters");
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    private static void certificate(ObjectNode object, List<String> problems) {
        JsonNode pem = object.get("trustedCertificate");
        if (pem != null && (!pem.isTextual() || !pem.textValue().contains("-----BEGIN CERTIFICATE-----"))) {
            problems.add("settings.trustedCertificate: a PEM certificate");
        }
    }

    private static void port(ObjectNode object, List<String> problems) {
        JsonNode value = object.get("port");
        if (value != null && (!value.isInt() || value.intValue() < 1 || value.intValue() > 65535)) {
            problems.add("settings.port: a port number 1-65535");
        }
    }

    private static boolean isTrue(ObjectNode object, String name) {
        JsonNode value = object.get(name);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    private static void flag(ObjectNode object, String name, List<String> problems) {
        JsonNode value = object.get(name);
        if (value != null && !value.isBoolean()) {
            problems.add("settings." + name + ": true or false");
        }
    }
}
