package kz.qaqpa.gateway.appeals;

import static kz.qaqpa.directives.calendar.WorkingCalendar.almaty;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.calendar.WorkingCalendar.Day;
import kz.qaqpa.directives.calendar.WorkingCalendar.Deadline;
import kz.qaqpa.directives.calendar.WorkingCalendar.UnknownYearException;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * The working-day calendar, for anyone: a year's days off with their reasons, and the deadline of
 * a period of working days from a registration time (15 for the monitoring of an appeal). The
 * authority reloads it when a decree or a new year is published.
 */
public final class CalendarHandlers {

    private final WorkingCalendar calendar;
    private final Appeals.CalendarReload reload;

    public CalendarHandlers(WorkingCalendar calendar, Appeals.CalendarReload reload) {
        this.calendar = calendar;
        this.reload = reload;
    }

    /**
     * {@code POST /api/v1/calendar/reload} (admin): reads {@code calendar-file} again, takes its data
     * from now on and recomputes the deadlines of undecided appeals; answers the years it has and
     * each deadline changed. A file that does not parse changes nothing (422 {@code calendar-invalid}).
     */
    public void reload(RoutingContext ctx) {
        Blocking.answer(ctx, () -> {
            try {
                return reload.reload();
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.CALENDAR_INVALID, "calendar-file: " + e.getMessage());
            }
        }, changes -> {
            JsonArray changed = new JsonArray();
            changes.forEach(change -> changed.add(new JsonObject().put("appeal", change.appeal())
                    .put("previous", almaty(change.previous())).put("deadline", almaty(change.deadline()))));
            json(ctx, new JsonObject().put("years", new JsonArray(calendar.years())).put("changed", changed));
        });
    }

    /** {@code GET /api/v1/calendar/deadline?registeredAt=ISO-8601&workingDays=15}. */
    public void deadline(RoutingContext ctx) {
        String text = ctx.queryParams().get("registeredAt");
        if (text == null) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "say when: ?registeredAt=2026-11-23T10:00:00+05:00");
        }
        Instant registeredAt;
        try {
            registeredAt = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "registeredAt must be an ISO-8601 time with its offset,"
                    + " such as 2026-11-23T10:00:00+05:00");
        }
        int workingDays = workingDays(ctx.queryParams().get("workingDays"));
        Deadline deadline;
        try {
            deadline = calendar.deadline(registeredAt, workingDays);
        } catch (UnknownYearException e) {
            throw new ProblemException(ProblemType.CALENDAR_YEAR_UNKNOWN, e.getMessage(), Map.of("years", calendar.years()));
        }
        JsonArray days = new JsonArray();
        deadline.workingDays().forEach(day -> days.add(day.toString()));
        json(ctx, new JsonObject()
                .put("registeredAt", registeredAt.atOffset(WorkingCalendar.ALMATY).toString())
                .put("registeredOn", deadline.registeredOn().toString())
                .put("workingDays", days)
                .put("deadline", deadline.deadline().toString()));
    }

    /** {@code GET /api/v1/calendar/:year}: days off beyond ordinary weekends, and weekend days worked. */
    public void year(RoutingContext ctx) {
        int year;
        try {
            year = Integer.parseInt(ctx.pathParam("year"));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no calendar for '" + ctx.pathParam("year") + "'");
        }
        WorkingCalendar.Year known;
        try {
            known = calendar.year(year);
        } catch (UnknownYearException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, e.getMessage(), Map.of("years", calendar.years()));
        }
        json(ctx, new JsonObject().put("year", year).put("timeZone", "UTC+05:00 (Almaty)")
                .put("daysOff", days(known.daysOff())).put("workingWeekendDays", days(known.workingWeekendDays())));
    }

    private static JsonArray days(List<Day> days) {
        JsonArray array = new JsonArray();
        days.forEach(day -> array.add(new JsonObject().put("date", day.date().toString()).put("reason", day.reason())));
        return array;
    }

    private static int workingDays(String text) {
        if (text == null) {
            return 15;
        }
        try {
            int days = Integer.parseInt(text);
            if (days >= 1 && days <= 366) {
                return days;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.BAD_REQUEST, "workingDays is a whole number from 1 to 366");
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
}
