package kz.qaqpa.directives.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Kazakhstan's working days, in Almaty time (UTC+5): Saturdays and Sundays off, public holidays
 * off, a holiday on a weekend moving its day off to the next working day (except those marked not
 * to move: 7 January and the first day of Kurban Ait), and the Government's yearly transfers. The
 * holidays and transfers are data (see {@code kazakhstan.yaml}); this class only applies the rules.
 *
 * <p>A date in a year the data does not cover is refused rather than guessed: a legal deadline must
 * not silently ignore a holiday.
 */
public final class WorkingCalendar {

    /**
     * Kazakhstan's time since 1 March 2024, 00:00: one zone, UTC+5 (by the Government's decree; before,
     * Almaty and the east kept UTC+6). A fixed offset, not {@code Asia/Almaty}: a JVM whose tzdata is
     * older than 2024a still has +6 there, and a deadline or a document's date must not depend on the
     * JVM. The one definition: every local date and time of the product is taken in it.
     */
    public static final ZoneOffset ALMATY = ZoneOffset.ofHours(5);

    private static final String SHIPPED = "kazakhstan.yaml";
    /** The act that moves days off, unless a year's {@code decree} entry names another ({@code act}). */
    private static final String DEFAULT_ACT = "Үкімет қаулысы / постановление Правительства";

    /** Why a date is a day off, or why a weekend date is a working day. */
    public record Day(LocalDate date, String reason) {
    }

    /** One year: its days off besides ordinary weekends, and the weekend dates that are working days. */
    public record Year(int year, List<Day> daysOff, List<Day> workingWeekendDays) {
    }

    /** The calendar's data at one time: what every answer reads once, so a replacement never mixes two. */
    private record Data(Map<Integer, Year> years, Map<LocalDate, String> offDays, Map<LocalDate, String> workingWeekend) {

        static Data of(Map<Integer, Year> years) {
            Map<LocalDate, String> offDays = new TreeMap<>();
            Map<LocalDate, String> workingWeekend = new TreeMap<>();
            years.values().forEach(year -> {
                year.daysOff().forEach(day -> offDays.put(day.date(), day.reason()));
                year.workingWeekendDays().forEach(day -> workingWeekend.put(day.date(), day.reason()));
            });
            return new Data(Collections.unmodifiableMap(new TreeMap<>(years)), Map.copyOf(offDays), Map.copyOf(workingWeekend));
        }

        Year year(int year) {
            Year known = years.get(year);
            if (known == null) {
                throw new UnknownYearException(year, List.copyOf(years.keySet()));
            }
            return known;
        }

        boolean isWorkingDay(LocalDate date) {
            year(date.getYear());
            if (workingWeekend.containsKey(date)) {
                return true;
            }
            return !isWeekend(date) && !offDays.containsKey(date);
        }
    }

    private volatile Data data;

    private WorkingCalendar(Map<Integer, Year> years) {
        this.data = Data.of(years);
    }

    /**
     * Takes the data of {@code newer} from now on — a decree published late, a moved Kurban Ait, the
     * next year — without a restart. Deadlines already stored are the caller's to recompute.
     */
    public void replaceWith(WorkingCalendar newer) {
        this.data = newer.data;
    }

    /** The calendar shipped with Qaqpa. */
    public static WorkingCalendar shipped() {
        try (InputStream in = Objects.requireNonNull(WorkingCalendar.class.getResourceAsStream(SHIPPED), SHIPPED)) {
            return read(in, SHIPPED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A calendar from a file of the shipped form. @throws IllegalArgumentException saying what is wrong */
    public static WorkingCalendar load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static WorkingCalendar read(InputStream in, String source) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a mapping from year to its holidays and decree transfers");
        }
        Map<Integer, Year> years = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            int year;
            try {
                year = Integer.parseInt(field.getKey());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": '" + field.getKey() + "' is not a year");
            }
            years.put(year, year(year, field.getValue(), source + ", " + year));
        }
        return new WorkingCalendar(years);
    }

    private static Year year(int year, JsonNode node, String where) {
        List<LocalDate> holidays = new ArrayList<>();
        Map<LocalDate, String> off = new TreeMap<>();
        Map<LocalDate, String> working = new TreeMap<>();
        List<Map.Entry<LocalDate, String>> movable = new ArrayList<>();
        for (JsonNode holiday : node.path("holidays")) {
            LocalDate date = date(holiday.path("date").asText(), year, where);
            String name = holiday.path("name").asText("holiday");
            holidays.add(date);
            off.put(date, name);
            if (holiday.path("moves").asBoolean(true) && isWeekend(date)) {
                movable.add(Map.entry(date, name));
            }
        }
        for (JsonNode transfer : node.path("decree")) {
            LocalDate dayOff = date(transfer.path("off").asText(), year, where);
            LocalDate workingDay = date(transfer.path("working").asText(), year, where);
            String act = transfer.path("act").asText(DEFAULT_ACT);
            off.put(dayOff, "демалыс күнін " + workingDay + " күнінен ауыстыру / перенос выходного дня с " + workingDay
                    + " (" + act + ")");
            working.put(workingDay, "жұмыс күні, демалыс " + dayOff + " күніне ауыстырылды / рабочий день, выходной"
                    + " перенесён на " + dayOff + " (" + act + ")");
        }
        // The weekend rule: each holiday on a Saturday or Sunday gives the next working day off.
        for (Map.Entry<LocalDate, String> holiday : movable) {
            LocalDate next = holiday.getKey().plusDays(1);
            while (isWeekend(next) && !working.containsKey(next) || off.containsKey(next)) {
                next = next.plusDays(1);
            }
            off.put(next, "демалыс күнін " + holiday.getKey() + " күнінен ауыстыру / перенос выходного дня с "
                    + holiday.getKey() + " (" + holiday.getValue() + ")");
        }
        List<Day> daysOff = new ArrayList<>();
        off.forEach((date, reason) -> daysOff.add(new Day(date, reason)));
        List<Day> workingWeekendDays = new ArrayList<>();
        working.forEach((date, reason) -> workingWeekendDays.add(new Day(date, reason)));
        return new Year(year, Collections.unmodifiableList(daysOff), Collections.unmodifiableList(workingWeekendDays));
    }

    private static LocalDate date(String text, int year, String where) {
        try {
            LocalDate date = LocalDate.parse(text);
            if (date.getYear() != year && !(date.getYear() == year + 1 && date.getMonthValue() == 1)) {
                throw new IllegalArgumentException(where + ": " + text + " is not in " + year);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a date (YYYY-MM-DD)");
        }
    }

    private static boolean isWeekend(LocalDate date) {
        return date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** The years this calendar knows, in order. */
    public List<Integer> years() {
        return List.copyOf(data.years().keySet());
    }

    /** A year's days off beyond ordinary weekends, and its working weekend days. */
    public Year year(int year) {
        return data.year(year);
    }

    public boolean isWorkingDay(LocalDate date) {
        return data.isWorkingDay(date);
    }

    /** An instant as the API shows it: ISO-8601 at Almaty's offset ({@code 2026-12-14T23:59:59+05:00}); null stays null. */
    public static String almaty(Instant instant) {
        return instant == null ? null : instant.atOffset(ALMATY).toString();
    }

    /**
     * The deadline of a period of working days counted from the working day after the day of
     * registration (in Almaty time), as art. 37 p. 2 of Law No. 217 of 11.01.2007 "On
     * Informatization" had it (seed 002; since repealed, and the seeds say no otherwise): the end of
     * the last of them.
     *
     * @param registeredAt when the appeal was registered
     * @param workingDays  how many working days (15 for the monitoring of seed 003 §5)
     */
    public Deadline deadline(Instant registeredAt, int workingDays) {
        if (workingDays < 1 || workingDays > 366) {
            throw new IllegalArgumentException("a period of 1 to 366 working days");
        }
        Data now = data;
        LocalDate registered = registeredAt.atOffset(ALMATY).toLocalDate();
        List<LocalDate> days = new ArrayList<>(workingDays);
        LocalDate date = registered;
        while (days.size() < workingDays) {
            date = date.plusDays(1);
            if (now.isWorkingDay(date)) {
                days.add(date);
            }
        }
        OffsetDateTime end = OffsetDateTime.of(date, LocalTime.MAX.withNano(0), ALMATY);
        return new Deadline(registered, List.copyOf(days), end);
    }

    /**
     * @param registeredOn the day of registration, in Almaty
     * @param workingDays  the working days counted, in order
     * @param deadline     the end of the last of them, Almaty time
     */
    public record Deadline(LocalDate registeredOn, List<LocalDate> workingDays, OffsetDateTime deadline) {
    }

    /** A date in a year the calendar has no data for. */
    public static final class UnknownYearException extends RuntimeException {

        public UnknownYearException(int year, List<Integer> known) {
            super("the working-day calendar has no data for " + year + " (it has " + known
                    + "); add the year to the calendar file", null, false, false);
        }
    }
}
