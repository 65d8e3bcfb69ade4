package kz.qaqpa.adapters.recipient;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where and how a recipient is reached, typed per channel: what a channel reads of
 * {@link ChannelSettings} once they are checked — a webhook's URL, an FTP server's login, a mail
 * server and its addresses. A password here is open (the store keeps it sealed); a
 * {@code trustedCertificate} is the server's certificate or its CA (PEM), trusted instead of the
 * JVM's trust store.
 */
public sealed interface Endpoint permits Endpoint.Webhook, Endpoint.Ftp, Endpoint.Email, Endpoint.PullOnly {

    /** POSTs to an http or https URL. */
    record Webhook(URI url, Optional<String> trustedCertificate) implements Endpoint {
    }

    /** Uploads to an FTP server, FTPS when {@code tls}. */
    record Ftp(String host, OptionalInt port, String user, String password, Optional<String> directory, boolean tls,
               Optional<String> trustedCertificate) implements Endpoint {
    }

    /** Mails through an SMTP server: SMTPS when {@code tls}, STARTTLS when {@code starttls}. */
    record Email(List<String> to, String from, String host, OptionalInt port, Optional<String> user,
                 Optional<String> password, boolean tls, boolean starttls, Optional<String> trustedCertificate,
                 boolean allowPlaintextCredentials) implements Endpoint {
    }

    /** Reads the feed itself: nothing to reach. */
    record PullOnly() implements Endpoint {
    }
}
