package kz.qaqpa.adapters.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.AuthorityNames;
import kz.qaqpa.directives.text.LegalDates;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The restoration order a RESTORE carries (seed 003, appendix), as operators read it: a letter in
 * Kazakh, then the same in Russian — the authority, the order's outgoing number and date (the
 * RESTORE's own), the order's text as the authority signed it, and the signatory — as plain text
 * and as a PDF (Apache PDFBox, with Liberation Serif embedded: its Cyrillic carries the Kazakh
 * letters). Made from the signed document itself, so it says nothing the signature does not cover.
 *
 * @param text the letter as UTF-8 text, lines ending LF
 * @param pdf  the same letter as PDF
 */
public record OrderLetter(String text, byte[] pdf) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FONT = "/liberation/LiberationSerif-Regular.ttf";
    private static final float FONT_SIZE = 11f;
    private static final float LEADING = 14.5f;
    private static final float MARGIN = 56f;

    /** The letter of a delivered directive: present for a RESTORE that carries an order. */
    public static Optional<OrderLetter> of(Parcel parcel) {
        if (!"RESTORE".equals(parcel.action())) {
            return Optional.empty();
        }
        return of(parcel.document(), parcel.directiveNumber(), parcel.issuedAt(), parcel.authorityName());
    }

    /**
     * The letter of a RESTORE document that carries an order — a delivered one, or one drafted for
     * the official to read before signing it.
     */
    public static Optional<OrderLetter> of(byte[] restore, String number, Instant issuedAt, String authorityName) {
        JsonNode document;
        try {
            document = JSON.readTree(restore);
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode order = document.path("order");
        if (!order.isObject()) {
            return Optional.empty();
        }
        LocalDate date = issuedAt.atOffset(WorkingCalendar.ALMATY).toLocalDate();
        String signatory = order.path("signatory").asText();
        String kazakh = letter(AuthorityNames.in(restore, "kk", authorityName), "Шығыс № " + number + ", " + LegalDates.kazakh(date),
                order.path("kk").asText(), signatory);
        String russian = letter(AuthorityNames.in(restore, "ru", authorityName), "Исх. № " + number + " от " + LegalDates.russian(date),
                order.path("ru").asText(), signatory);
        String text = kazakh + "\n\n" + russian;
        return Optional.of(new OrderLetter(text, pdf("Тапсырма / Поручение № " + number, issuedAt
                .atOffset(WorkingCalendar.ALMATY), List.of(kazakh, russian))));
    }

    private static String letter(String authority, String outgoing, String body, String signatory) {
        return authority + "\n" + outgoing + "\n\n" + body.strip() + "\n\n" + signatory;
    }

    /** The letters as A4 pages, each letter on a page of its own, lines wrapped at word boundaries. */
    private static byte[] pdf(String title, OffsetDateTime created, List<String> letters) {
        try (PDDocument pdf = new PDDocument(); InputStream fontFile = OrderLetter.class.getResourceAsStream(FONT)) {
            PDType0Font font = PDType0Font.load(pdf, Objects.requireNonNull(fontFile, FONT), true);
            PDDocumentInformation information = pdf.getDocumentInformation();
            information.setTitle(title);
            information.setProducer("Qaqpa");
            Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone(WorkingCalendar.ALMATY));
            calendar.setTimeInMillis(created.toInstant().toEpochMilli());
            information.setCreationDate(calendar);
            Typeable typeable = new Typeable(font);
            float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
            for (String letter : letters) {
                List<String> lines = new ArrayList<>();
                for (String paragraph : letter.split("\n", -1)) {
                    lines.addAll(wrap(typeable.filter(paragraph), font, width));
                }
                write(pdf, font, lines);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the order as PDF: " + e.getMessage(), e);
        }
    }

    private static void write(PDDocument pdf, PDType0Font font, List<String> lines) throws IOException {
        int perPage = (int) ((PDRectangle.A4.getHeight() - 2 * MARGIN) / LEADING);
        for (int first = 0; first < lines.size(); first += perPage) {
            PDPage page = new PDPage(PDRectangle.A4);
            pdf.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                content.beginText();
                content.setFont(font, FONT_SIZE);
                content.setLeading(LEADING);
                content.newLineAtOffset(MARGIN, PDRectangle.A4.getHeight() - MARGIN);
                for (String line : lines.subList(first, Math.min(lines.size(), first + perPage))) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
        }
    }

    /** A paragraph broken into lines no wider than {@code width}; a word wider than a line is cut. */
    static List<String> wrap(String paragraph, PDType0Font font, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (width(font, candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (width(font, rest) > width) {
                int cut = rest.length() - 1;
                while (cut > 1 && width(font, rest.substring(0, cut)) > width) {
                    cut--;
                }
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        lines.add(line.toString());
        return lines;
    }

    private static float width(PDType0Font font, String text) throws IOException {
        return font.getStringWidth(text) / 1000 * FONT_SIZE;
    }

    /** Which characters the font can draw; any other (an emoji, a control character) is drawn as '?'. */
    private static final class Typeable {
        private final PDType0Font font;
        private final Map<Integer, Boolean> known = new HashMap<>();

        Typeable(PDType0Font font) {
            this.font = font;
        }

        String filter(String text) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(point -> out.appendCodePoint(known.computeIfAbsent(point, this::drawable) ? point : '?'));
            return out.toString();
        }

        private boolean drawable(int point) {
            if (Character.isISOControl(point)) {
                return false;
            }
            try {
                font.encode(new String(Character.toChars(point)));
                return true;
            } catch (IOException | IllegalArgumentException e) {
                return false;
            }
        }
    }
}
