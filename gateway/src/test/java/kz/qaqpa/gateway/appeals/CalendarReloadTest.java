package kz.qaqpa.gateway.appeals;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003 §5: an appeal registered while the working-day calendar lacks the year its deadline
 * falls in is registered all the same, its deadline pending and the authority alarmed; reloading the
 * calendar file computes it. The calendar file here lacks this year, whatever year the test runs in.
 */
class CalendarReloadTest {

    @TempDir
    Path dir;

    @Test
    void anAppealWaitsForTheCalendarsYearAndTheAlarmSaysSoUntilTheYearIsLoaded() throws Exception {
        Path file = dir.resolve("calendar.yaml");
        Files.writeString(file, year(2000));
        try (SigningGateway authority = new SigningGateway(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(),
                new AppealSettings(Optional.of(file), Optional.empty(), Optional.empty()))) {
            authority.submit(DirectiveJson.restrict("CAL-1").domain("cal.kz", false));

            HttpResponse<String> created = send(authority.gateway, "POST", "/api/v1/appeals", new JsonObject()
                    .put("kind", "OWNER").put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы").put("iin", "990740000029")
                    .put("email", "owner@example.kz").put("resource", "cal.kz").put("directiveNumber", "CAL-1")
                    .put("links", new JsonArray().add("https://cal.kz/removed")).encode().getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json");

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonObject answer = new JsonObject(created.body());
            assertThat(answer.getValue("deadline")).isNull();
            assertThat(answer.getBoolean("deadlinePending")).isTrue();
            String view = "/api/v1/appeals/" + answer.getString("number");
            JsonObject alarms = ready(authority);
            assertThat(alarms.getString("calendar")).startsWith("1 undecided appeals' deadlines wait for working-day calendar data");
            assertThat(authority.as(SigningGateway.ADMIN, "GET", "/metrics", null).body())
                    .contains("qaqpa_appeal_deadlines_pending 1.0").contains("qaqpa_alarm{alarm=\"calendar\"} 1.0");
            HttpResponse<String> page = send(authority.gateway, "GET", answer.getString("statusLink")
                    .replace("/api/v1/appeals/", "/appeal/status/").replace("?token=", "?lang=ru&token="));
            assertThat(page.body()).contains("Будет установлен после публикации производственного календаря");

            // A broken file changes nothing; nobody but the authority may reload.
            Files.writeString(file, "2000: [");
            assertProblem(authority.as(SigningGateway.ADMIN, "POST", "/api/v1/calendar/reload", null), 422,
                    "urn:qaqpa:problem:calendar-invalid");
            assertProblem(send(authority.gateway, "POST", "/api/v1/calendar/reload"), 401, "urn:qaqpa:problem:unauthorized");
            assertThat(admin(authority, view).getBoolean("deadlinePending")).isTrue();

            int thisYear = LocalDate.now(WorkingCalendar.ALMATY).getYear();
            Files.writeString(file, year(thisYear) + year(thisYear + 1));
            HttpResponse<String> reloaded = authority.as(SigningGateway.ADMIN, "POST", "/api/v1/calendar/reload", null);

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            JsonObject change = new JsonObject(reloaded.body()).getJsonArray("changed").getJsonObject(0);
            assertThat(change.getString("appeal")).isEqualTo(answer.getString("number"));
            assertThat(change.getValue("previous")).isNull();
            JsonObject computed = admin(authority, view);
            assertThat(computed.getBoolean("deadlinePending")).isFalse();
            assertThat(computed.getString("deadline")).isEqualTo(change.getString("deadline")).endsWith("T23:59:59+05:00");
            assertThat(computed.getJsonArray("deadlineChanges")).singleElement()
                    .satisfies(recorded -> assertThat(((JsonObject) recorded).getString("deadline"))
                            .isEqualTo(computed.getString("deadline")));
            assertThat(ready(authority).containsKey("calendar")).isFalse();
        }
    }

    /** A year with weekends only: enough for deadlines to be computed. */
    private static String year(int year) {
        return year + ":\n  holidays: []\n  decree: []\n";
    }

    private static JsonObject ready(SigningGateway authority) throws Exception {
        HttpResponse<String> ready = send(authority.gateway, "GET", "/health/ready");
        assertThat(ready.statusCode()).as("an alarm does not take the gateway out of service: " + ready.body()).isEqualTo(200);
        return new JsonObject(ready.body()).getJsonObject("alarms");
    }

    private static JsonObject admin(SigningGateway authority, String path) throws Exception {
        return new JsonObject(authority.as(SigningGateway.ADMIN, "GET", path, null).body());
    }
}
