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
import java.util.List;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.StoredDirective;

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
    private static final String LEGAL_BASIS = "Қазақстан Республикасының «Байланыс туралы» Заңының 41-1-бабының 5-тармағы"
            + " / пункт 5 статьи 41-1 Закона Республики Казахстан «О связи»";

    /**
     * @param appeal      the appeal whose removal is confirmed
     * @param cancelled   the RESTRICT it is about
     * @param confirmedOn the day the removal was confirmed (Almaty)
     * @param now         when the draft is made
     */
    public static RestorationOrder draft(Appeal appeal, StoredDirective cancelled, LocalDate confirmedOn, Instant now) {
        String issued = DATE.format(cancelled.issuedAt().atOffset(WorkingCalendar.ALMATY));
        String appellant = appeal.personName() != null ? appeal.personName()
                : appeal.organisationName() + " (" + appeal.representative() + ")";
        String confirmed = DATE.format(confirmedOn);
        StringBuilder kazakhLinks = new StringBuilder();
        StringBuilder russianLinks = new StringBuilder();
        List<String> links = appeal.links();
        for (int i = 0; i < links.size(); i++) {
            boolean last = i == links.size() - 1;
            kazakhLinks.append(i + 1).append(") ").append(links.get(i)).append(last ? " сілтемелер бойынша\n" : ";\n");
            russianLinks.append(i + 1).append(") ").append(links.get(i)).append(last ? "\n" : ";\n");
        }
        String kazakh = """
                Қазақстан Республикасы Ұлттық қауіпсіздік комитетінің "Мемлекеттік техникалық қызмет" АҚ
                Байланыс операторына (операторларына) (тізім бойынша)

                Тапсырма

                %1$s Қазақстан Республикасының заңнамасын бұзушылықтарды жойып, қол жеткізуді шектеу үшін негіз болған \
                құқыққа қарсы материалдарды жою себебі бойынша %2$s – интернет-ресурсқа қол жеткізуді қайта бастау \
                жөніндегі %3$s жолданым (№ %4$s) келіп түсті.

                Мониторинг барысында уәкілетті органның %5$s № %6$s нұсқамасымен Қазақстан Республикасының аумағында \
                таратылуы шектелген интернет-ресурстағы:
                %7$sбұрын орналастырылған құқыққа қарсы материалдар %8$s жағдай бойынша %2$s интернет-ресурстың \
                меншік иесімен жойылған.

                "Байланыс туралы" Қазақстан Республикасы Заңының 41-1-бабының 5-тармағына сәйкес уәкілетті органның \
                № %6$s %5$s нұсқамасының күшін жоюды, жоғарыда көрсетілген интернет-ресурсқа (тарға) (сілтеме (лер) \
                және оның мобильдік қосымшасына қол жеткізуді қайта бастауды тапсырамыз.
                """.formatted(cancelled.authorityName(), appeal.resource(), appellant, appeal.number(), issued,
                cancelled.number(), kazakhLinks, confirmed);
        String russian = """
                АО «Государственная техническая служба» Комитета национальной безопасности Республики Казахстан
                Оператору (операторам) связи (по списку)

                Поручение

                В %1$s поступило обращение %3$s (№ %4$s) о возобновлении доступа к интернет-ресурсу %2$s в связи \
                с устранением нарушений законодательства Республики Казахстан и удалением противоправных материалов, \
                послуживших основанием для ограничения доступа.

                В ходе мониторинга установлено, что противоправные материалы, ранее размещённые на интернет-ресурсе, \
                распространение которого на территории Республики Казахстан ограничено предписанием уполномоченного \
                органа от %5$s № %6$s, по ссылкам:
                %7$sудалены собственником интернет-ресурса %2$s по состоянию на %8$s.

                В соответствии с пунктом 5 статьи 41-1 Закона Республики Казахстан «О связи» поручаем отменить \
                предписание уполномоченного органа № %6$s от %5$s, возобновить доступ к указанному интернет-ресурсу \
                (ресурсам) (ссылке (ам)) и его мобильному приложению.
                """.formatted(cancelled.authorityName(), appeal.resource(), appellant, appeal.number(), issued,
                cancelled.number(), russianLinks, confirmed);
        return new RestorationOrder(kazakh, russian, restoreDirective(appeal, cancelled, now));
    }

    private static String restoreDirective(Appeal appeal, StoredDirective cancelled, Instant now) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "qaqpa.directive/v1");
        root.put("number", appeal.number() + "-R");
        root.put("issuedAt", now.truncatedTo(ChronoUnit.SECONDS).atOffset(WorkingCalendar.ALMATY).toString());
        root.putObject("authority").put("name", cancelled.authorityName()).put("bin", cancelled.authorityBin());
        root.put("action", "RESTORE");
        root.put("legalBasis", LEGAL_BASIS);
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
