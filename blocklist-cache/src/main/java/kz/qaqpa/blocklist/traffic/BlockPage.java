package kz.qaqpa.blocklist.traffic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.stream.Stream;

/**
 * The answer to a restricted HTTP request (RFC 7725): 451 with {@code Link: <…>; rel="blocked-by"}
 * naming the directive's public page on the gateway, a small page in Kazakh, Russian and English
 * naming the directive and how access is restored, and {@code Connection: close}. The words are in
 * {@code blocked_kk/ru/en.properties}.
 */
final class BlockPage {

    /** The page's words in Kazakh, Russian and English, loaded once. */
    private static final List<ResourceBundle> LANGUAGES = Stream.of("kk", "ru", "en")
            .map(language -> ResourceBundle.getBundle("kz.qaqpa.blocklist.traffic.blocked", Locale.forLanguageTag(language),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)))
            .toList();

    private final Optional<String> publicUrl;

    /** @param publicUrl the gateway's public address (its {@code public-url}), which the page links to; empty: no links */
    BlockPage(Optional<String> publicUrl) {
        this.publicUrl = publicUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** The directive's public page, the target of the {@code blocked-by} link. */
    Optional<String> directivePage(String directive) {
        return publicUrl.map(url -> url + "/public/v1/directives/" + URLEncoder.encode(directive, StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    /** The whole response for a request refused under {@code directive}. */
    ByteBuf response(String directive) {
        Optional<String> page = directivePage(directive);
        StringBuilder body = new StringBuilder("<!doctype html>\n<html lang=\"kk\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>451</title></head><body>\n");
        for (ResourceBundle words : LANGUAGES) {
            body.append("<section lang=\"").append(words.getLocale().getLanguage()).append("\"><h1>")
                    .append(escape(words.getString("title"))).append("</h1><p>")
                    .append(escape(MessageFormat.format(words.getString("because"), directive))).append("</p>");
            page.ifPresent(link -> body.append("<p><a href=\"").append(escape(link)).append("\">")
                    .append(escape(words.getString("details"))).append("</a></p>"));
            body.append("<p>").append(escape(words.getString("appeal")));
            publicUrl.ifPresent(url -> body.append(" <a href=\"").append(escape(url)).append("/appeal\">")
                    .append(escape(url)).append("/appeal</a>"));
            body.append("</p></section>\n");
        }
        byte[] html = body.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 451 Unavailable For Legal Reasons\r\n");
        page.ifPresent(link -> head.append("Link: <").append(link).append(">; rel=\"blocked-by\"\r\n"));
        head.append("Content-Type: text/html; charset=utf-8\r\n")
                .append("Content-Language: kk, ru, en\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("Content-Length: ").append(html.length).append("\r\n")
                .append("Connection: close\r\n\r\n");
        return Unpooled.wrappedBuffer(head.toString().getBytes(StandardCharsets.US_ASCII), html);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
