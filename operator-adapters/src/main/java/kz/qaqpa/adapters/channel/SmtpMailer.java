package kz.qaqpa.adapters.channel;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * One SMTP session (Apache Commons Net): connect (SMTPS when {@code tls}), greet, start TLS when
 * {@code starttls} (and fail rather than go on in clear when the server will not), log in when a
 * user is given — never in clear unless {@code allowPlaintextCredentials} — and send one message to
 * its recipients. The server's certificate and host name are checked, against
 * {@code trustedCertificate} (PEM) when given.
 */
public final class SmtpMailer {

    /** Where and how to send. {@code user}, {@code password} and {@code trustedCertificate} may be null. */
    public record Server(String host, int port, boolean tls, boolean starttls, String user, String password,
                         String trustedCertificate, boolean allowPlaintextCredentials) {
    }

    private final Duration timeout;

    public SmtpMailer(Duration timeout) {
        this.timeout = timeout;
    }

    /** Sends {@code message} (headers and body, CRLF line ends) from {@code from} to every address in {@code to}. */
    public void send(Server server, String from, List<String> to, String message) throws DeliveryException {
        AuthenticatingSMTPClient smtp = new AuthenticatingSMTPClient("TLS", server.tls());
        smtp.setConnectTimeout((int) timeout.toMillis());
        smtp.setDefaultTimeout((int) timeout.toMillis());
        smtp.setEndpointCheckingEnabled(true);
        if (server.trustedCertificate() != null) {
            smtp.setTrustManager(TrustedCertificate.trustManager(server.trustedCertificate()));
        }
        try {
            smtp.connect(server.host(), server.port());
            expect(smtp, SMTPReply.isPositiveCompletion(smtp.getReplyCode()), "connect to " + server.host());
            smtp.setSoTimeout((int) timeout.toMillis());
            expect(smtp, SMTPReply.isPositiveCompletion(smtp.ehlo("qaqpa")), "greet");
            if (server.starttls()) {
                expect(smtp, smtp.execTLS(), "start TLS");
                expect(smtp, SMTPReply.isPositiveCompletion(smtp.ehlo("qaqpa")), "greet again inside TLS");
            }
            if (server.user() != null) {
                if (!server.tls() && !server.starttls() && !server.allowPlaintextCredentials()) {
                    throw new DeliveryException("SMTP " + server.host() + ": refusing to send the password without TLS");
                }
                expect(smtp, smtp.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, server.user(), server.password()),
                        "log in as " + server.user());
            }
            expect(smtp, smtp.setSender(from), "send from " + from);
            for (String address : to) {
                expect(smtp, smtp.addRecipient(address), "send to " + address);
            }
            Writer data = smtp.sendMessageData();
            expect(smtp, data != null, "start the message");
            data.write(message);
            data.close();
            expect(smtp, smtp.completePendingCommand(), "finish the message");
            smtp.logout();
        } catch (IOException | NoSuchAlgorithmException | InvalidKeyException e) {
            throw new DeliveryException("SMTP " + server.host() + ": " + e, e);
        } finally {
            try {
                if (smtp.isConnected()) {
                    smtp.disconnect();
                }
            } catch (IOException ignored) {
                // sent already, or failed already
            }
        }
    }

    /** A plain-text message in UTF-8: the headers and the body, base64-encoded. */
    public static String textMessage(String from, List<String> to, String subject, String messageId, String body) {
        StringBuilder message = new StringBuilder();
        header(message, "From", from);
        header(message, "To", String.join(", ", to));
        header(message, "Subject", encodedWord(subject));
        header(message, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(WorkingCalendar.ALMATY)));
        header(message, "Message-ID", "<" + messageId + "@qaqpa>");
        header(message, "MIME-Version", "1.0");
        header(message, "Content-Type", "text/plain; charset=UTF-8");
        header(message, "Content-Transfer-Encoding", "base64");
        message.append("\r\n");
        message.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(body.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        return message.toString();
    }

    static void header(StringBuilder message, String name, String value) {
        message.append(name).append(": ").append(value.replaceAll("[\r\n]", " ")).append("\r\n");
    }

    /** RFC 2047: encoded words of whole characters, each at most 75 characters long, separated by spaces. */
    static String encodedWord(String text) {
        StringBuilder words = new StringBuilder();
        int start = 0;
        while (start < text.length()) {
            int end = start;
            int bytes = 0;
            while (end < text.length()) {
                int codePoint = text.codePointAt(end);
                int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + length > 45) {
                    break;
                }
                bytes += length;
                end += Character.charCount(codePoint);
            }
            if (words.length() > 0) {
                words.append(' ');
            }
            words.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(
                    text.substring(start, end).getBytes(StandardCharsets.UTF_8))).append("?=");
            start = end;
        }
        return words.toString();
    }

    private static void expect(AuthenticatingSMTPClient smtp, boolean ok, String what) throws DeliveryException {
        if (!ok) {
            throw new DeliveryException("SMTP: cannot " + what + ": " + smtp.getReplyString().strip());
        }
    }
}
