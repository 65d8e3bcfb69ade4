package kz.qaqpa.adapters.channel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.adapters.recipient.Endpoint;
import kz.qaqpa.directives.calendar.WorkingCalendar;

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
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private final SmtpMailer mailer;

    public EmailChannel(Duration timeout) {
        this.mailer = new SmtpMailer(timeout);
    }

    @Override
    public void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException {
        if (!(settings.endpoint() instanceof Endpoint.Email mail)) {
            throw new IllegalArgumentException("not an e-mail recipient: " + settings.kind());
        }
        mailer.send(new SmtpMailer.Server(mail.host(), mail.port().orElse(mail.tls() ? 465 : 25), mail.tls(), mail.starttls(),
                mail.user().orElse(null), mail.password().orElse(null), mail.trustedCertificate().orElse(null),
                mail.allowPlaintextCredentials()), mail.from(), mail.to(), message(parcel, mail.from(), mail.to()));
    }

    /** The whole message, MIME multipart/mixed, lines ending CRLF. */
    static String message(Parcel parcel, String from, List<String> to) {
        String boundary = "qaqpa-" + parcel.idempotencyKey();
        StringBuilder message = new StringBuilder();
        SmtpMailer.header(message, "From", from);
        SmtpMailer.header(message, "To", String.join(", ", to));
        SmtpMailer.header(message, "Subject", SmtpMailer.encodedWord(subject(parcel)));
        SmtpMailer.header(message, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(WorkingCalendar.ALMATY)));
        SmtpMailer.header(message, "Message-ID", "<" + parcel.idempotencyKey() + "@qaqpa>");
        SmtpMailer.header(message, IDEMPOTENCY_HEADER, parcel.idempotencyKey());
        SmtpMailer.header(message, "MIME-Version", "1.0");
        SmtpMailer.header(message, "Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
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
        String date = DATE.format(parcel.issuedAt().atZone(WorkingCalendar.ALMATY));
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
}
