package kz.qaqpa.adapters.whois;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.net.whois.WhoisClient;

/**
 * Asks the .KZ/.ҚАЗ registry's WHOIS server (RFC 3912, through Apache Commons Net) who the
 * registrar of a domain name is, for a suspension case (seed 000 §17–18: the registry tells the
 * registrar). Only the registrar, the dates and the statuses are read from the answer; the
 * registrant's data is confidential (seed 000 §9) and never leaves this class.
 *
 * <p>The server is the registry's, reached over the network: an answer is read up to {@code maxBytes}
 * and within {@code deadline} altogether (a server dripping a byte at a time is cut off as one that
 * never answers); an answer past either bound is no answer.
 */
public final class RegistryWhois {

    /** What the registry's answer says of the name. */
    public enum Status {
        /** Registered, with its registrar named. */
        FOUND,
        /** Registered, but the answer names no registrar. */
        NO_REGISTRAR,
        /** The registry knows no such name. */
        NOT_REGISTERED,
        /** No usable answer: unreachable, too slow, too large. */
        UNAVAILABLE
    }

    /**
     * One look-up: the name asked (its A-label form), what the answer said, and why when it said
     * nothing usable. {@code registrar}, {@code created}, {@code modified} as the registry wrote them.
     */
    public record Answer(String domain, Status status, Optional<String> registrar, Optional<String> created,
                         Optional<String> modified, List<String> statuses, Optional<String> problem) {

        public Answer {
            statuses = List.copyOf(statuses);
        }

        static Answer unavailable(String domain, String problem) {
            return new Answer(domain, Status.UNAVAILABLE, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                    Optional.of(problem));
        }
    }

    /** Where the registry's WHOIS answers unless configured otherwise. */
    public static final String DEFAULT_SERVER = "whois.nic.kz:43";

    private final String host;
    private final int port;
    private final int maxBytes;
    private final Duration deadline;

    public RegistryWhois(String host, int port, int maxBytes, Duration deadline) {
        this.host = host;
        this.port = port;
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    /** Asks for {@code domain}, an A-label name ({@code xn--80ao21a} for .ҚАЗ). Never throws for what the server does. */
    public Answer lookup(String domain) {
        byte[] answer;
        try {
            answer = ask(domain);
        } catch (SocketTimeoutException e) {
            return Answer.unavailable(domain, "no answer from " + host + ":" + port + " within " + deadline);
        } catch (AnswerTooLargeException e) {
            return Answer.unavailable(domain, "the answer of " + host + ":" + port + " is larger than " + maxBytes + " bytes");
        } catch (IOException e) {
            return Answer.unavailable(domain, "cannot ask " + host + ":" + port + ": " + e.getMessage());
        }
        return read(domain, new String(answer, StandardCharsets.UTF_8));
    }

    private byte[] ask(String domain) throws IOException {
        long until = System.nanoTime() + deadline.toNanos();
        WhoisClient client = new WhoisClient();
        client.setConnectTimeout(millisLeft(until));
        client.setDefaultTimeout(millisLeft(until));
        client.connect(host, port);
        try (InputStream in = client.getInputStream(domain)) {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                client.setSoTimeout(millisLeft(until));
                int count = in.read(buffer);
                if (count < 0) {
                    return read.toByteArray();
                }
                if (read.size() + count > maxBytes) {
                    throw new AnswerTooLargeException();
                }
                read.write(buffer, 0, count);
            }
        } finally {
            client.disconnect();
        }
    }

    /** The time left before {@code until}, at least a millisecond; none left is a timeout. */
    private static int millisLeft(long until) throws SocketTimeoutException {
        long left = Duration.ofNanos(until - System.nanoTime()).toMillis();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /**
     * Reads the fields of the .KZ registry's answer ("Current Registar:", "Domain created:", "Last
     * modified :", "Domain status :"), each "key: value" or "key.....: value", keys case-insensitive,
     * the registry's own spelling "Registar" and "Registrar" alike. Everything else — the
     * registrant's organisation, names, addresses, telephones, e-mail addresses — is passed over.
     */
    static Answer read(String domain, String text) {
        Optional<String> registrar = Optional.empty();
        Optional<String> created = Optional.empty();
        Optional<String> modified = Optional.empty();
        List<String> statuses = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).replaceAll("[.\\s]+$", "").strip().toLowerCase(Locale.ROOT)
                    .replace("registar", "registrar");
            String value = line.substring(colon + 1).strip();
            if (value.isEmpty()) {
                continue;
            }
            switch (key) {
                case "current registrar" -> registrar = Optional.of(value);
                case "domain created" -> created = Optional.of(value);
                case "last modified" -> modified = Optional.of(value);
                case "domain status" -> statuses.add(value);
                default -> { }
            }
        }
        Status status = registrar.isPresent() ? Status.FOUND
                : created.isPresent() ? Status.NO_REGISTRAR
                : text.toLowerCase(Locale.ROOT).contains("nothing found") ? Status.NOT_REGISTERED : Status.NO_REGISTRAR;
        Optional<String> problem = switch (status) {
            case NO_REGISTRAR -> Optional.of("the registry's answer names no registrar");
            case NOT_REGISTERED -> Optional.of("the registry has no such name");
            default -> Optional.empty();
        };
        return new Answer(domain, status, registrar, created, modified, statuses, problem);
    }

    private static final class AnswerTooLargeException extends IOException {
        AnswerTooLargeException() {
            super(null, null);
        }
    }
}
