package kz.qaqpa.directives.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import kz.qaqpa.directives.calendar.WorkingCalendar.Deadline;
import kz.qaqpa.directives.calendar.WorkingCalendar.Day;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingCalendarTest {

    private final WorkingCalendar calendar = WorkingCalendar.shipped();

    @TempDir
    Path dir;

    @Test
    void holidaysOnAWeekendGiveTheNextWorkingDaysOff2026() {
        // As the Government's calendar for 2026 has it.
        assertThat(daysOff(2026)).contains(
                LocalDate.of(2026, 3, 9),                            // 8 March was a Sunday
                LocalDate.of(2026, 3, 23), LocalDate.of(2026, 3, 24), LocalDate.of(2026, 3, 25), // Nauryz 21-22 on a weekend
                LocalDate.of(2026, 5, 11),                           // 9 May was a Saturday
                LocalDate.of(2026, 8, 31),                           // 30 August was a Sunday
                LocalDate.of(2026, 10, 26));                         // 25 October was a Sunday
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 3, 26))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 5, 27))).as("Kurban Ait").isFalse();
    }

    @Test
    void decreeMovesADayOffAndMakesASundayAWorkingDay() {
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 1, 3))).isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 1, 5))).as("a Sunday worked by decree").isTrue();
        assertThat(calendar.year(2025).workingWeekendDays()).extracting(Day::date).containsExactly(LocalDate.of(2025, 1, 5));
    }

    @Test
    void fifteenWorkingDaysFromTheDayAfterRegistrationStepOverIndependenceDay() {
        // Registered on Tuesday 1 December 2026 at 18:00 Almaty; 16 December (Wednesday) is off.
        Deadline deadline = calendar.deadline(Instant.parse("2026-12-01T13:00:00Z"), 15);

        assertThat(deadline.registeredOn()).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(deadline.workingDays()).first().isEqualTo(LocalDate.of(2026, 12, 2));
        assertThat(deadline.workingDays()).doesNotContain(LocalDate.of(2026, 12, 16));
        assertThat(deadline.deadline()).isEqualTo(OffsetDateTime.parse("2026-12-23T23:59:59+05:00"));
    }

    @Test
    void registrationLateInTheEveningUtcIsTheNextDayInAlmaty() {
        // 20:00 UTC on Friday is 01:00 on Saturday in Almaty: counting starts on Monday.
        Deadline deadline = calendar.deadline(Instant.parse("2026-11-20T20:00:00Z"), 1);

        assertThat(deadline.registeredOn()).isEqualTo(LocalDate.of(2026, 11, 21));
        assertThat(deadline.workingDays()).containsExactly(LocalDate.of(2026, 11, 23));
    }

    @Test
    void acrossNewYearTheHolidaysAndTheMovedSecondOfJanuaryAreSkipped() {
        Deadline deadline = calendar.deadline(Instant.parse("2026-12-21T06:00:00Z"), 15);

        assertThat(deadline.workingDays()).doesNotContain(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 4),
                LocalDate.of(2027, 1, 7));
        assertThat(deadline.workingDays()).contains(LocalDate.of(2026, 12, 31), LocalDate.of(2027, 1, 5));
        assertThat(deadline.deadline().toLocalDate()).isEqualTo(LocalDate.of(2027, 1, 14));
    }

    @Test
    void acrossNauryzFiveDaysAreOff() {
        Deadline deadline = calendar.deadline(Instant.parse("2026-03-17T06:00:00Z"), 5);

        assertThat(deadline.workingDays()).containsExactly(LocalDate.of(2026, 3, 18), LocalDate.of(2026, 3, 19),
                LocalDate.of(2026, 3, 20), LocalDate.of(2026, 3, 26), LocalDate.of(2026, 3, 27));
    }

    @Test
    void seventhOfJanuaryOnASundayIsNotMovedAndACalendarFileReplacesTheShippedOne() throws Exception {
        Path file = dir.resolve("calendar.yaml");
        Files.writeString(file, """
                2029:
                  holidays:
                    - {date: 2029-01-07, name: "Рождество", moves: false}
                    - {date: 2029-12-16, name: "День Независимости"}
                """);
        WorkingCalendar custom = WorkingCalendar.load(file);

        assertThat(LocalDate.of(2029, 1, 7).getDayOfWeek().name()).isEqualTo("SUNDAY");
        assertThat(custom.isWorkingDay(LocalDate.of(2029, 1, 8))).as("not moved to Monday").isTrue();
        assertThat(custom.isWorkingDay(LocalDate.of(2029, 12, 17))).as("16 December 2029 is a Sunday: moved").isFalse();
        assertThat(custom.years()).containsExactly(2029);
    }

    @Test
    void aYearWithoutDataIsRefusedNotGuessed() {
        assertThatThrownBy(() -> calendar.deadline(Instant.parse("2027-12-20T06:00:00Z"), 15))
                .isInstanceOf(WorkingCalendar.UnknownYearException.class).hasMessageContaining("2028");
    }

    @Test
    void aBrokenFileSaysWhere() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "2026:\n  holidays:\n    - {date: 2026-13-01}\n");

        assertThatThrownBy(() -> WorkingCalendar.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-13-01");
    }

    private List<LocalDate> daysOff(int year) {
        return calendar.year(year).daysOff().stream().map(Day::date).toList();
    }
}
