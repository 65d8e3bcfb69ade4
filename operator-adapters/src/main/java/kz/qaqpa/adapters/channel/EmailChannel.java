package kz.qaqpa.adapters.channel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.adapters.recipient.Endpoint;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.AuthorityNames;
import kz.qaqpa.directives.text.LegalDates;
import kz.qaqpa.directives.text.Texts;

/**
 * Sends the directive by e-mail (Apache Commons Net SMTP; SMTPS when {@code tls}): a notice in
 * Kazakh and Russian with the directive's number, date, action, authority, legal basis and
 * targets, and the signed document and the authority's signature attached
 * ({@code <number>.json}, {@code <number>.p7s}); a RESTORE that carries the restoration order has it
 * attached as well, as text and PDF ({@code <number>.order.txt}, {@code <number>.order.pdf}). The delivery's idempotency key is the message's
 * {@code Message-ID} and its {@value #IDEMPOTENCY_HEADER} header. An accepted DATA is delivered.
 * With {@code tls} the server's certificate and host name are checked, against
 * {@code trustedCertificate} when the recipient gave one.
 */
public final class EmailChannel implements Channel {

    public static final String IDEMPOTENCY_HEADER = "Qaqpa-Idempotency-Key";
    /** The notice's words: the law's two languages, both in every message. */
    private static final String NOTICE = "kz.qaqpa.adapters.channel.notice";
    private static final Texts KAZAKH = Texts.of(NOTICE, "kk");
    private static final Texts RUSSIAN = Texts.of(NOTICE, "ru");

    private final SmtpMailer mailer;

    public EmailChannel(Duration timeout) {
        this.mailer = new SmtpMailer(timeout);
    }

    @Override
    public void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException {
        if (!(settings.endpoint() instanceof Endpoint.Email mail)) {
            throw new IllegalArgumentException("not an e-mail recipient: " + settings.kind());
        }
        mailer.send(server(mail), mail.from(), mail.to(), message(parcel, mail.from(), mail.to()));
    }

    /** The reminder as a plain-text message. */
    @Override
    public void remind(Reminder reminder, ChannelSettings settings) throws DeliveryException {
        if (!(settings.endpoint() instanceof Endpoint.Email mail)) {
            throw new IllegalArgumentException("not an e-mail recipient: " + settings.kind());
        }
        mailer.send(server(mail), mail.from(), mail.to(), SmtpMailer.textMessage(mail.from(), mail.to(), reminder.subject(),
                reminder.key(), reminder.text()));
    }

    private static SmtpMailer.Server server(Endpoint.Email mail) {
        return new SmtpMailer.Server(mail.host(), mail.port().orElse(mail.tls() ? 465 : 25), mail.tls(), mail.starttls(),
                mail.user().orElse(null), mail.password().orElse(null), mail.trustedCertificate().orElse(null),
                mail.allowPlaintextCredentials());
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
        Optional<OrderLetter> letter = OrderLetter.of(parcel);
        if (letter.isPresent()) {
            part(message, boundary, "text/plain; charset=UTF-8", parcel.fileStem() + ".order.txt",
                    letter.get().text().getBytes(StandardCharsets.UTF_8));
            part(message, boundary, "application/pdf", parcel.fileStem() + ".order.pdf", letter.get().pdf());
        }
        message.append("--").append(boundary).append("--\r\n");
        return message.toString();
    }

    static String subject(Parcel parcel) {
        String action = "subject." + parcel.action();
        String kind = "document." + parcel.action();
        return KAZAKH.get(kind) + " / " + RUSSIAN.get(kind) + " № " + parcel.directiveNumber()
                + " — " + KAZAKH.get(action) + " / " + RUSSIAN.get(action);
    }

    /** The notice: Kazakh first, then Russian, the same facts in each. */
    static String notice(Parcel parcel) {
        return notice(KAZAKH, parcel) + "\r\n" + notice(RUSSIAN, parcel);
    }

    private static String notice(Texts texts, Parcel parcel) {
        // Each language's legal form: "2026 жылғы 20 қарашадағы № … нұсқама", "№ … от 20.11.2026".
        Function<Instant, String> date = at -> "kk".equals(texts.language())
                ? LegalDates.kazakhOf(at.atOffset(WorkingCalendar.ALMATY).toLocalDate())
                : LegalDates.russian(at.atOffset(WorkingCalendar.ALMATY).toLocalDate());
        Map<String, String> values = Map.of("number", parcel.directiveNumber(),
                "date", date.apply(parcel.issuedAt()),
                "name", AuthorityNames.in(parcel.document(), texts.language(), parcel.authorityName()), "bin", parcel.authorityBin(), "basis", parcel.legalBasis(),
                "cancels", Objects.requireNonNullElse(parcel.cancels(), ""),
                "cancelsDate", parcel.cancelsIssuedAt() == null ? "" : date.apply(parcel.cancelsIssuedAt()),
                "status", "RESTRICT".equals(parcel.action()) ? "ENFORCED" : "RESUMED");
        List<String> lines = new ArrayList<>(List.of("heading." + parcel.action(), "action." + parcel.action(), "authority", "basis"));
        if (parcel.cancels() != null) {
            lines.add("cancels");
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(key -> text.append(texts.format(key, values)).append("\r\n"));
        text.append(texts.get("targets." + parcel.action())).append("\r\n");
        parcel.targets().forEach(target -> text.append("  - ").append(target).append("\r\n"));
        return text.append(texts.format("attached", values)).append("\r\n").toString();
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
