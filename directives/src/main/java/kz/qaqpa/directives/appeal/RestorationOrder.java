package kz.qaqpa.directives.appeal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.text.Texts;

/**
 * The restoration order (тапсырма) drafted once an appeal's removal is confirmed: the appendix form
 * of seed 003, field by field, in Kazakh and in Russian, and the same order as a ready-to-sign
 * RESTORE directive (qaqpa.directive/v1) that cancels the directive and names the appeal. The
 * authority checks it, gives it its outgoing number if it wants another, signs it and submits it
 * through the normal intake.
 *
 * @param kazakh  the order as the form has it
 * @param russian the same order in Russian
 * @param restore the RESTORE directive to sign, as JSON
 */
public record RestorationOrder(String kazakh, String russian, String restore) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    /** The form's words, in the two languages the order is drafted in together. */
    private static final String FORM = "kz.qaqpa.directives.appeal.order";
    private static final Texts KAZAKH = Texts.of(FORM, "kk");
    private static final Texts RUSSIAN = Texts.of(FORM, "ru");

    /**
     * @param appeal      the appeal whose removal is confirmed
     * @param cancelled   the RESTRICT it is about
     * @param confirmedOn the day the removal was confirmed (Almaty)
     * @param now         when the draft is made
     */
    public static RestorationOrder draft(Appeal appeal, StoredDirective cancelled, LocalDate confirmedOn, Instant now) {
        String appellant = appeal.personName() != null ? appeal.personName()
                : appeal.organisationName() + " (" + appeal.representative() + ")";
        Map<String, String> values = Map.of("authority", cancelled.authorityName(), "resource", appeal.resource(),
                "appellant", appellant, "appeal", appeal.number(),
                "issued", DATE.format(cancelled.issuedAt().atOffset(WorkingCalendar.ALMATY)),
                "directive", cancelled.number(), "confirmed", DATE.format(confirmedOn));
        return new RestorationOrder(order(KAZAKH, appeal.links(), values), order(RUSSIAN, appeal.links(), values),
                restoreDirective(appeal, cancelled, now));
    }

    private static String order(Texts texts, List<String> links, Map<String, String> values) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < links.size(); i++) {
            list.append(texts.format(i == links.size() - 1 ? "lastLink" : "link",
                    Map.of("index", Integer.toString(i + 1), "link", links.get(i))));
        }
        Map<String, String> all = new HashMap<>(values);
        all.put("links", list.toString());
        return texts.format("order", all);
    }

    private static String restoreDirective(Appeal appeal, StoredDirective cancelled, Instant now) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "qaqpa.directive/v1");
        root.put("number", appeal.number() + "-R");
        root.put("issuedAt", now.truncatedTo(ChronoUnit.SECONDS).atOffset(WorkingCalendar.ALMATY).toString());
        root.putObject("authority").put("name", cancelled.authorityName()).put("bin", cancelled.authorityBin());
        root.put("action", "RESTORE");
        root.put("legalBasis", KAZAKH.get("legalBasis") + " / " + RUSSIAN.get("legalBasis"));
        root.putObject("cancels").put("number", cancelled.number())
                .put("date", cancelled.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate().toString());
        root.put("appeal", appeal.number());
        root.set("recipients", recipients(cancelled));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cancelled directive's own addressees: the order goes to the operators it went to. */
    private static JsonNode recipients(StoredDirective cancelled) {
        try {
            JsonNode recipients = JSON.readTree(cancelled.document()).get("recipients");
            return recipients == null ? JSON.getNodeFactory().textNode("ALL") : recipients;
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode("ALL");
        }
    }
}
