package kz.qaqpa.directives.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class LegalDatesTest {

    @Test
    void kazakhDatesTakeTheMonthsOwnEndingBeforeADocumentsNumber() {
        assertThat(LegalDates.kazakh(LocalDate.of(2026, 11, 20))).isEqualTo("2026 жылғы 20 қараша");
        assertThat(LegalDates.kazakhOf(LocalDate.of(2026, 11, 20))).isEqualTo("2026 жылғы 20 қарашадағы");
        // Back vowels take -дағы, front vowels -дегі; a voiceless last sound -тегі.
        assertThat(LegalDates.kazakhOf(LocalDate.of(2027, 4, 1))).isEqualTo("2027 жылғы 1 сәуірдегі");
        assertThat(LegalDates.kazakhOf(LocalDate.of(2027, 7, 6))).isEqualTo("2027 жылғы 6 шілдедегі");
        assertThat(LegalDates.kazakhOf(LocalDate.of(2027, 9, 30))).isEqualTo("2027 жылғы 30 қыркүйектегі");
        assertThat(LegalDates.kazakhOf(LocalDate.of(2027, 12, 16))).isEqualTo("2027 жылғы 16 желтоқсандағы");
        assertThat(LegalDates.kazakhTo(LocalDate.of(2026, 12, 14))).isEqualTo("2026 жылғы 14 желтоқсанға");
        assertThat(LegalDates.kazakhTo(LocalDate.of(2027, 9, 1))).isEqualTo("2027 жылғы 1 қыркүйекке");
        assertThat(LegalDates.russian(LocalDate.of(2026, 1, 5))).isEqualTo("05.01.2026");
    }
}
