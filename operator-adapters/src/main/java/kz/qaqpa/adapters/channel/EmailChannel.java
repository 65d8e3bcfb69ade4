package kz.qaqpa.adapters.channel;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * Sends the directive by e-mail (Apache Commons Net SMTP; SMTPS when {@code tls}): a notice in
 * Kazakh and Russian with the directive's number, date, action, authority, legal basis and
 * targets, and the signed document and the authority's signature attached
 * ({@code <number>.json}, {@code <number>.p7s}). The delivery's idempotency key is the message's
 * {@code Message-ID} and its {@value #IDEMPOTENCY_HEADER} header. An accepted DATA is delivered.
 * With {@code tls} the server's certificate and host name are checked, against
 * {@code trustedCertificate} when the recipient gave one.
 */
public final class EmailChannel implements Channel {

    public static final String IDEMPOTENCY_HEADER = "Qaqpa-Idempotency-Key";
    private static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private final Duration timeout;

    public EmailChannel(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException {
        AuthenticatingSMTPClient smtp = new AuthenticatingSMTPClient("TLS", settings.flag("tls"));
        smtp.setConnectTimeout((int) timeout.toMillis());
        smtp.setDefaultTimeout((int) timeout.toMillis());
        smtp.setEndpointCheckingEnabled(true);
        if (settings.text("trustedCertificate") != null) {
            smtp.setTrustManager(TrustedCertificate.trustManager(settings.text("trustedCertificate")));
        }
        String host = settings.text("host");
        try {
            smtp.connect(host, settings.port(settings.flag("tls") ? 465 : 25));
            expect(smtp, SMTPReply.isPositiveCompletion(smtp.getReplyCode()), "connect to " + host);
            smtp.setSoTimeout((int) timeout.toMillis());
            expect(smtp, SMTPReply.isPositiveCompletion(smtp.ehlo("qaqpa")), "greet");
            if (settings.text("user") != null) {
                expect(smtp, smtp.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, settings.text("user"),
                        settings.text("password")), "log in as " + settings.text("user"));
            }
            expect(smtp, smtp.setSender(settings.text("from")), "send from " + settings.text("from"));
            for (String to : settings.list("to")) {
                expect(smtp, smtp.addRecipient(to), "send to " + to);
            }
            Writer data = smtp.sendMessageData();
            expect(smtp, data != null, "start the message");
            data.write(message(parcel, settings.text("from"), settings.list("to")));
            data.close();
            expect(smtp, smtp.completePendingCommand(), "finish the message");
            smtp.logout();
        } catch (IOException | NoSuchAlgorithmException | InvalidKeyException e) {
            throw new DeliveryException("SMTP " + host + ": " + e, e);
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

    private static void expect(AuthenticatingSMTPClient smtp, boolean ok, String what) throws DeliveryException {
        if (!ok) {
            throw new DeliveryException("SMTP: cannot " + what + ": " + smtp.getReplyString().strip());
        }
    }

    /** The whole message, MIME multipart/mixed, lines ending CRLF. */
    static String message(Parcel parcel, String from, List<String> to) {
        String boundary = "qaqpa-" + parcel.idempotencyKey();
        StringBuilder message = new StringBuilder();
        header(message, "From", from);
        header(message, "To", String.join(", ", to));
        header(message, "Subject", encodedWord(subject(parcel)));
        header(message, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ALMATY)));
        header(message, "Message-ID", "<" + parcel.idempotencyKey() + "@qaqpa>");
        header(message, IDEMPOTENCY_HEADER, parcel.idempotencyKey());
        header(message, "MIME-Version", "1.0");
        header(message, "Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
        message.append("\r\n");
        part(message, boundary, "text/plain; charset=UTF-8", null, notice(parcel).getBytes(StandardCharsets.UTF_8));
        part(message, boundary, "application/json", parcel.fileStem() + ".json", parcel.document());
        part(message, boundary, "application/pkcs7-signature", parcel.fileStem() + ".p7s", parcel.authoritySignature());
        message.append("--").append(boundary).append("--\r\n");
        return message.toString();
    }

    static String subject(Parcel parcel) {
        boolean restrict = "RESTRICT".equals(parcel.action());
        return "Нұсқама / Предписание № " + parcel.directiveNumber() + " — "
                + (restrict ? "қолжетімділікті шектеу / ограничение доступа"
                            : "қолжетімділікті қайта бастау / возобновление доступа");
    }

    /** The notice: Kazakh first, then Russian, the same facts in each. */
    static String notice(Parcel parcel) {
        boolean restrict = "RESTRICT".equals(parcel.action());
        String date = DATE.format(parcel.issuedAt().atZone(ALMATY));
        StringBuilder targets = new StringBuilder();
        parcel.targets().forEach(target -> targets.append("  - ").append(target).append("\r\n"));
        StringBuilder text = new StringBuilder();
        text.append("Нұсқама № ").append(parcel.directiveNumber()).append(", ").append(date).append("\r\n")
                .append("Әрекеті: ").append(restrict ? "интернет-ресурсқа қолжетімділікті шектеу"
                        : "интернет-ресурсқа қолжетімділікті қайта бастау").append("\r\n")
                .append("Уәкілетті орган: ").append(parcel.authorityName()).append(" (БСН ").append(parcel.authorityBin()).append(")\r\n")
                .append("Құқықтық негіз: ").append(parcel.legalBasis()).append("\r\n");
        if (parcel.cancels() != null) {
            text.append("№ ").append(parcel.cancels()).append(" нұсқаманың күшін жояды.\r\n");
        }
        text.append("Ресурстар:\r\n").append(targets)
                .append("Қол қойылған құжат пен қолтаңба тіркелген (.json, .p7s). Орындалғанын растаңыз: POST /api/v1/acks ")
                .append(restrict ? "(ENFORCED)" : "(RESUMED)").append(".\r\n\r\n");
        text.append("Предписание № ").append(parcel.directiveNumber()).append(" от ").append(date).append("\r\n")
                .append("Действие: ").append(restrict ? "ограничение доступа к интернет-ресурсу"
                        : "возобновление доступа к интернет-ресурсу").append("\r\n")
                .append("Уполномоченный орган: ").append(parcel.authorityName()).append(" (БИН ").append(parcel.authorityBin()).append(")\r\n")
                .append("Правовое основание: ").append(parcel.legalBasis()).append("\r\n");
        if (parcel.cancels() != null) {
            text.append("Отменяет предписание № ").append(parcel.cancels()).append(".\r\n");
        }
        text.append("Ресурсы:\r\n").append(targets)
                .append("Подписанный документ и подпись во вложении (.json, .p7s). Подтвердите исполнение: POST /api/v1/acks ")
                .append(restrict ? "(ENFORCED)" : "(RESUMED)").append(".\r\n");
        return text.toString();
    }

    private static void header(StringBuilder message, String name, String value) {
        message.append(name).append(": ").append(value.replaceAll("[\r\n]", " ")).append("\r\n");
    }

    private static void part(StringBuilder message, String boundary, String type, String fileName, byte[] content) {
        message.append("--").append(boundary).append("\r\n");
        message.append("Content-Type: ").append(type).append(fileName == null ? "" : "; name=\"" + fileName + "\"").append("\r\n");
        if (fileName != null) {
            message.append("Content-Disposition: attachment; filename=\"").append(fileName).append("\"\r\n");
        }
        message.append("Content-Transfer-Encoding: base64\r\n\r\n");
        message.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content));
        message.append("\r\n");
    }

    /** RFC 2047: encoded words of whole characters, each at most 75 characters long, separated by spaces. */
    private static String encodedWord(String text) {
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
}
