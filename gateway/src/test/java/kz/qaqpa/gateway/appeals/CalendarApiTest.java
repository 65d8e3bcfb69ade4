package kz.qaqpa.gateway.appeals;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import kz.qaqpa.gateway.EmbeddedGateway;
import kz.qaqpa.gateway.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The public working-day calendar over HTTP. */
class CalendarApiTest {

    @RegisterExtension
    static final EmbeddedGateway GATEWAY = new EmbeddedGateway();

    private final Gateway gateway = GATEWAY.gateway();

    @Test
    void deadlineOfFifteenWorkingDaysStepsOverIndependenceDay() throws Exception {
        JsonObject answer = new JsonObject(send(gateway, "GET",
                "/api/v1/calendar/deadline?registeredAt=2026-12-01T18:00:00%2B05:00&workingDays=15").body());

        assertThat(answer.getString("registeredOn")).isEqualTo("2026-12-01");
        assertThat(answer.getJsonArray("workingDays")).hasSize(15).doesNotContain("2026-12-16");
        assertThat(answer.getString("deadline")).isEqualTo("2026-12-23T23:59:59+05:00");
    }

    @Test
    void yearListsItsDaysOffWithTheirReasons() throws Exception {
        JsonObject year = new JsonObject(send(gateway, "GET", "/api/v1/calendar/2026").body());

        JsonObject moved = year.getJsonArray("daysOff").stream().map(JsonObject.class::cast)
                .filter(day -> day.getString("date").equals("2026-03-09")).findFirst().orElseThrow();
        assertThat(moved.getString("reason")).contains("2026-03-08");
        assertProblem(send(gateway, "GET", "/api/v1/calendar/2031"), 404, "urn:qaqpa:problem:not-found");
    }

    @Test
    void badOrUncoveredQuestionsAreProblems() throws Exception {
        assertProblem(send(gateway, "GET", "/api/v1/calendar/deadline"), 400, "urn:qaqpa:problem:bad-request");
        assertProblem(send(gateway, "GET", "/api/v1/calendar/deadline?registeredAt=yesterday"), 400,
                "urn:qaqpa:problem:bad-request");
        assertProblem(send(gateway, "GET", "/api/v1/calendar/deadline?registeredAt=2026-12-01T10:00:00Z&workingDays=0"),
                400, "urn:qaqpa:problem:bad-request");
        assertProblem(send(gateway, "GET", "/api/v1/calendar/deadline?registeredAt=2027-12-20T10:00:00Z"), 422,
                "urn:qaqpa:problem:calendar-year-unknown");
    }
}
