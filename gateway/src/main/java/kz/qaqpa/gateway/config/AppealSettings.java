package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.util.Optional;
import kz.qaqpa.directives.appeal.AppealMonitoring;

/**
 * Restoration appeals: their deadlines and the e-mail notices they send.
 *
 * @param calendarFile   the working-day calendar (holidays and transfers by year) to use instead of
 *                       the one shipped, so that a new year's decree needs no rebuild
 * @param mail           the mail server notices go through; without it they wait, queued
 * @param authorityEmail where the authority is reminded of deadlines
 * @param probes         how the links an appeal names are looked at
 * @param publicUrl      where appellants reach the gateway's pages, for the links mailed to them;
 *                       without it, {@code http://localhost:PORT}
 * @param orderWorkingDays working days the authority has, after confirming removal, to issue the
 *                       restoration order before it is overdue
 */
public record AppealSettings(Optional<Path> calendarFile, Optional<MailSettings> mail, Optional<String> authorityEmail,
                             ProbeSettings probes, Optional<String> publicUrl, int orderWorkingDays) {

    public static final Setting<Path> CALENDAR_FILE = Setting.optional("calendar-file", "FILE", Parse::readableFile,
            "Working-day calendar (YAML, holidays and transfers by year) instead of the one shipped.");
    public static final Setting<String> SMTP_HOST = Setting.optional("smtp-host", "HOST", Parse::nonBlank,
            "Mail server for appeal notices (without it they wait, queued).");
    public static final Setting<Integer> SMTP_PORT = Setting.optional("smtp-port", "PORT", Parse::port,
            "Its port (default 25, 465 with --smtp-tls).");
    public static final Setting<Boolean> SMTP_TLS = Setting.of("smtp-tls", "true|false", Parse::bool, "false", "SMTPS.");
    public static final Setting<Boolean> SMTP_STARTTLS = Setting.of("smtp-starttls", "true|false", Parse::bool, "false",
            "STARTTLS on a plain port.");
    public static final Setting<String> SMTP_USER = Setting.optional("smtp-user", "USER", Parse::nonBlank,
            "Login at the mail server.");
    public static final Setting<String> SMTP_PASSWORD = Setting.secret("smtp-password");
    public static final Setting<Path> SMTP_PASSWORD_FILE = Setting.optional("smtp-password-file", "FILE",
            Parse::readableFile, "File holding its password (or QAQPA_SMTP_PASSWORD).");
    public static final Setting<String> SMTP_FROM = Setting.of("smtp-from", "ADDRESS", Parse::email, "qaqpa@localhost",
            "Sender of notices.");
    public static final Setting<String> AUTHORITY_EMAIL = Setting.optional("authority-email", "ADDRESS", Parse::email,
            "Where the authority is reminded of appeal deadlines.");
    public static final Setting<String> PUBLIC_URL = Setting.optional("public-url", "URL", Parse::webUrl,
            "Where the public reaches the gateway's pages: mailed links, and the directive pages a traffic filter's "
                    + "refusals link to (default http://localhost:PORT; for filter-node, --gateway-url).").alsoForFilterNode();

    public static final Setting<Integer> ORDER_WORKING_DAYS = Setting.of("order-working-days", "N",
            text -> Parse.positive(text, 30), String.valueOf(AppealMonitoring.DEFAULT_ORDER_WORKING_DAYS),
            "Working days after a confirmed removal before its restoration order is overdue.");

    public AppealSettings(Optional<Path> calendarFile, Optional<MailSettings> mail, Optional<String> authorityEmail) {
        this(calendarFile, mail, authorityEmail, ProbeSettings.defaults(), Optional.empty(), ORDER_WORKING_DAYS.defaultValue());
    }

    /** The same settings with other probe settings. */
    public AppealSettings withProbes(ProbeSettings newProbes) {
        return new AppealSettings(calendarFile, mail, authorityEmail, newProbes, publicUrl, orderWorkingDays);
    }

    /**
     * The mail server for notices.
     *
     * @param tls      SMTPS (TLS from the first byte)
     * @param starttls STARTTLS on a plain port; with a password, one of the two is required
     * @param from     the sender of every notice
     */
    public record MailSettings(String host, int port, boolean tls, boolean starttls, Optional<String> user,
                               Optional<String> password, String from) {

        /** Without STARTTLS (tests against a local mail server). */
        public MailSettings(String host, int port, boolean tls, Optional<String> user, Optional<String> password, String from) {
            this(host, port, tls, false, user, password, from);
        }
    }

    public static AppealSettings defaults() {
        return new AppealSettings(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
