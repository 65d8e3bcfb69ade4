package kz.qaqpa.gateway.appeals;

import jakarta.mail.internet.MimeMessage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the confirmation link out of the mail an appellant gets at registration. */
final class ConfirmationMail {

    private static final Pattern LINK = Pattern.compile("https?://[^/\\s]+(/appeal/confirm/\\S+)");

    private ConfirmationMail() {
    }

    /** The link's path and query, to call on the gateway under test. */
    static String link(MimeMessage mail) throws Exception {
        Matcher matcher = LINK.matcher((String) mail.getContent());
        if (!matcher.find()) {
            throw new AssertionError("no confirmation link in: " + mail.getContent());
        }
        return matcher.group(1);
    }
}
