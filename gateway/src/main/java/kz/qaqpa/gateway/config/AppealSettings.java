package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

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
 */
public record AppealSettings(Optional<Path> calendarFile, Optional<MailSettings> mail, Optional<String> authorityEmail,
                             ProbeSettings probes, Optional<String> publicUrl) {

    public AppealSettings(Optional<Path> calendarFile, Optional<MailSettings> mail, Optional<String> authorityEmail) {
        this(calendarFile, mail, authorityEmail, ProbeSettings.defaults(), Optional.empty());
    }

    /** The same settings with other probe settings. */
    public AppealSettings withProbes(ProbeSettings newProbes) {
        return new AppealSettings(calendarFile, mail, authorityEmail, newProbes, publicUrl);
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
