package kz.qaqpa.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import kz.qaqpa.directives.calendar.WorkingCalendar;

/** How the console writes times and durations: Almaty time, and the largest two units of a duration. */
public final class ConsoleText {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

    private ConsoleText() {
    }

    /** {@code 04.12.2026 10:15:00}, Almaty time. */
    public static String when(Instant instant) {
        return instant.atOffset(WorkingCalendar.ALMATY).format(WHEN);
    }

    /** {@code 2 h 05 min}, {@code 3 min 20 s}, {@code 850 ms}; a dash for none. */
    public static String duration(Duration duration) {
        if (duration == null) {
            return "—";
        }
        if (duration.toHours() > 0) {
            return duration.toHours() + " h " + "%02d".formatted(duration.toMinutesPart()) + " min";
        }
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + " min " + "%02d".formatted(duration.toSecondsPart()) + " s";
        }
        if (duration.getSeconds() > 0) {
            return duration.getSeconds() + " s";
        }
        return duration.toMillis() + " ms";
    }
}
