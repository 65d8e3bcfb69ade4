package kz.qaqpa.directives.text;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Dates as legal documents write them: in Kazakh "2026 жылғы 20 қараша" and, before the number of
 * a document, "2026 жылғы 20 қарашадағы № … нұсқама" (the month in the locative-attributive case,
 * its ending by the month word's vowel harmony and last sound), and before "дейін" (until) "2026 жылғы
 * 14 желтоқсанға"; in Russian "20.11.2026", as in
 * "№ … от 20.11.2026".
 */
public final class LegalDates {

    private static final List<String> MONTHS = List.of("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
            "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан");
    /** Each month's "-дағы/-дегі/-тағы/-тегі" form, as the month words take them. */
    private static final List<String> MONTHS_OF = List.of("қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі",
            "мамырдағы", "маусымдағы", "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы",
            "желтоқсандағы");
    /** Each month in the dative, as "… дейін" (until) takes it. */
    private static final List<String> MONTHS_TO = List.of("қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға",
            "маусымға", "шілдеге", "тамызға", "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға");
    private static final DateTimeFormatter RUSSIAN = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private LegalDates() {
    }

    /** "2026 жылғы 20 қараша". */
    public static String kazakh(LocalDate date) {
        return date.getYear() + " жылғы " + date.getDayOfMonth() + " " + MONTHS.get(date.getMonthValue() - 1);
    }

    /** "2026 жылғы 20 қарашадағы", to stand before a document's number: "… № 12-3/456 нұсқама". */
    public static String kazakhOf(LocalDate date) {
        return date.getYear() + " жылғы " + date.getDayOfMonth() + " " + MONTHS_OF.get(date.getMonthValue() - 1);
    }

    /** "2026 жылғы 14 желтоқсанға", to stand before "дейін" (until). */
    public static String kazakhTo(LocalDate date) {
        return date.getYear() + " жылғы " + date.getDayOfMonth() + " " + MONTHS_TO.get(date.getMonthValue() - 1);
    }

    /** "20.11.2026". */
    public static String russian(LocalDate date) {
        return RUSSIAN.format(date);
    }
}
