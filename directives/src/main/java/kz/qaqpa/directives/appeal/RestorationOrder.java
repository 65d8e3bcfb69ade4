package kz.qaqpa.directives.appeal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.AuthorityNames;
import kz.qaqpa.directives.text.LegalDates;
import kz.qaqpa.directives.text.Texts;

/**
 * The restoration order (тапсырма) drafted once an appeal's removal is confirmed: the appendix form
 * of seed 003, field by field, in Kazakh and in Russian, inside a ready-to-sign RESTORE directive
 * (qaqpa.directive/v1) that cancels the directive, names the appeal and carries the order —
 * addressees, the resources and links access resumes to, the signatory and both texts — so that
 * the authority's signature covers what operators read. Its outgoing number and date are the
 * RESTORE's own ({@code number}, {@code issuedAt}), and the form's "(ағымдағы күн)" is that date.
 * The authority checks it, signs it and submits it through the normal intake.
 *
 * @param kazakh  the order as the form has it
 * @param russian the same order in Russian
 * @param restore the RESTORE directive to sign, as JSON
 */
public record RestorationOrder(String kazakh, String russian, String restore) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The form's words, in the two languages the order is drafted in together. */
    private static final String FORM = "kz.qaqpa.directives.appeal.order";
    private static final Texts KAZAKH = Texts.of(FORM, "kk");
    private static final Texts RUSSIAN = Texts.of(FORM, "ru");

    /**
     * What the order says beyond the appeal and the directive it cancels.
     *
     * @param number     the order's outgoing number (the RESTORE's)
     * @param resources  the resources access resumes to: the cancelled directive's targets
     * @param links      the links the unlawful materials were placed at, each found removed
     * @param addressees the State Technical Service and the operators, by name, as the list the form refers to
     * @param signatory  who signs it
     */
    public record Particulars(String number, List<String> resources, List<String> links, List<String> addressees,
                              String signatory) {
    }

    /**
     * @param appeal    the appeal whose removal is confirmed
     * @param cancelled the RESTRICT it is about
     * @param now       when the draft is made: the order's date
     */
    public static RestorationOrder draft(Appeal appeal, StoredDirective cancelled, Particulars particulars, Instant now) {
        String appellant = appeal.personName() != null ? appeal.personName()
                : appeal.organisationName() + " (" + appeal.representative() + ")";
        LocalDate issued = cancelled.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate();
        LocalDate today = now.atOffset(WorkingCalendar.ALMATY).toLocalDate();
        Map<String, String> values = Map.of("resource", appeal.resource(),
                "appellant", appellant, "appeal", appeal.number(), "directive", cancelled.number());
        String kazakh = order(KAZAKH, particulars, with(values, authority(cancelled, "kk"), LegalDates.kazakhOf(issued),
                LegalDates.kazakhOf(today)));
        String russian = order(RUSSIAN, particulars, with(values, authority(cancelled, "ru"), LegalDates.russian(issued),
                LegalDates.russian(today)));
        return new RestorationOrder(kazakh, russian, restoreDirective(appeal, cancelled, particulars, kazakh, russian, now));
    }

    private static String authority(StoredDirective directive, String language) {
        return AuthorityNames.in(directive.document(), language, directive.authorityName());
    }

    private static Map<String, String> with(Map<String, String> values, String authority, String issued, String today) {
        Map<String, String> all = new HashMap<>(values);
        all.put("authority", authority);
        all.put("issued", issued);
        all.put("today", today);
        return all;
    }

    private static String order(Texts texts, Particulars particulars, Map<String, String> values) {
        List<String> links = particulars.links();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < links.size(); i++) {
            list.append(texts.format(i == links.size() - 1 ? "lastLink" : "link",
                    Map.of("index", Integer.toString(i + 1), "link", links.get(i))));
        }
        StringBuilder addressees = new StringBuilder();
        particulars.addressees().forEach(name -> addressees.append("- ").append(name).append('\n'));
        Map<String, String> all = new HashMap<>(values);
        all.put("links", list.toString());
        all.put("addressees", addressees.toString());
        return texts.format("order", all).strip();
    }

    private static String restoreDirective(Appeal appeal, StoredDirective cancelled, Particulars particulars,
                                           String kazakh, String russian, Instant now) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "qaqpa.directive/v1");
        root.put("number", particulars.number());
        root.put("issuedAt", now.truncatedTo(ChronoUnit.SECONDS).atOffset(WorkingCalendar.ALMATY).toString());
        AuthorityNames.copy(cancelled.document(),
                root.putObject("authority").put("name", cancelled.authorityName()).put("bin", cancelled.authorityBin()));
        root.put("action", "RESTORE");
        root.put("legalBasis", KAZAKH.get("legalBasis") + " / " + RUSSIAN.get("legalBasis"));
        root.putObject("cancels").put("number", cancelled.number())
                .put("date", cancelled.issuedAt().atOffset(WorkingCalendar.ALMATY).toLocalDate().toString());
        root.put("appeal", appeal.number());
        root.set("recipients", recipients(cancelled));
        ObjectNode order = root.putObject("order");
        order.put("signatory", particulars.signatory());
        particulars.addressees().forEach(order.putArray("addressees")::add);
        particulars.resources().forEach(order.putArray("resources")::add);
        if (!particulars.links().isEmpty()) {
            particulars.links().forEach(order.putArray("links")::add);
        }
        order.put("kk", kazakh);
        order.put("ru", russian);
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
