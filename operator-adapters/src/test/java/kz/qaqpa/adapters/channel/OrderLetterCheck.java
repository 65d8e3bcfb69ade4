package kz.qaqpa.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import kz.qaqpa.directives.document.DirectiveJson;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * What every channel's copy of a RESTORE's restoration order must say (seed 003, appendix): the
 * authority, the outgoing number and date in each language's legal form, the order's Kazakh and
 * Russian text as signed, the signatory — and a PDF whose text, as PDFBox and as Poppler's
 * {@code pdftotext} extract it, is that same letter.
 */
final class OrderLetterCheck {

    static final String NUMBER = "01-05/777";
    static final String KAZAKH_NAME = "Қазақстан Республикасы Мәдениет және ақпарат министрлігі";
    static final String RUSSIAN_NAME = "Министерство культуры и информации Республики Казахстан";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OrderLetterCheck() {
    }

    /** A RESTORE of {@code cancelled} carrying an order for casino.kz and two links, its authority named in each language. */
    static DirectiveJson restore(String cancelled) {
        return DirectiveJson.restore(NUMBER, cancelled).order("casino.kz", "https://casino.kz/bad", "https://casino.kz/worse")
                .authorityNames(KAZAKH_NAME, RUSSIAN_NAME);
    }

    /** The text and the PDF say everything the signed order says, in both languages. */
    static void assertLetter(String text, byte[] pdf, byte[] signedDocument) throws IOException {
        JsonNode order = JSON.readTree(signedDocument).get("order");
        assertThat(text).as("each letter headed by the authority's name in its language").contains(
                KAZAKH_NAME + "\nШығыс № 01-05/777, 2026 жылғы 20 қараша", RUSSIAN_NAME + "\nИсх. № 01-05/777 от 20.11.2026", order.get("kk").asText(), order.get("ru").asText(),
                order.get("signatory").asText(), "- «Қазақтелеком» АҚ", "https://casino.kz/worse", "қол жеткізуді");
        assertThat(text.indexOf("Тапсырма")).as("Kazakh first").isLessThan(text.indexOf("Поручение"));
        assertThat(pdf).startsWith("%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String extracted = new PDFTextStripper().getText(document);
            assertThat(words(extracted)).as("the PDF's text, with its embedded Kazakh letters").isEqualTo(words(text));
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Тапсырма / Поручение № " + NUMBER);
        }
        assertThat(words(poppler(pdf))).as("the PDF as Poppler, not the library that wrote it, reads it")
                .isEqualTo(words(text));
    }

    /** The PDF's text as {@code pdftotext} (Poppler, the reader of most Linux PDF viewers) extracts it. */
    private static String poppler(byte[] pdf) throws IOException {
        Process process = new ProcessBuilder("pdftotext", "-enc", "UTF-8", "-", "-").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(pdf);
        }
        String text = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            assertThat(process.waitFor()).as(text).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return text;
    }

    private static String words(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
