package kz.qaqpa.gateway.console;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Today page's numbers — its cards, its table and the data behind its charts — equal what is
 * computed from the database directly for a seeded history: directives, two operators' deliveries,
 * one of which acknowledges with chosen delays and one of which does not.
 */
class ConsoleDataTest {

    @TempDir
    static Path dir;
    private static SigningGateway gateway;
    private static String cookie;
    private static String quick;
    private static String silent;

    @BeforeAll
    static void seed() throws Exception {
        gateway = new SigningGateway(dir, DeliverySettings.defaults());
        quick = gateway.register("quick", "OPERATOR", "PULL_ONLY", null);
        silent = gateway.register("silent", "OPERATOR", "PULL_ONLY", null);
        for (int i = 1; i <= 7; i++) {
            long id = gateway.submit(DirectiveJson.restrict("D-" + i).domain("site" + i + ".kz", false)).getLong("id");
            if (i <= 5) {
                HttpResponse<String> ack = gateway.as(quick, "POST", "/api/v1/acks", new JsonObject().put("directiveId", id)
                        .put("status", "ENFORCED").put("at", Instant.now().toString()));
                assertThat(ack.statusCode()).as(ack.body()).isIn(200, 201);
            }
        }
        // Two undecided appeals, for the chart of days left.
        for (String resource : List.of("site1.kz", "site2.kz")) {
            HttpResponse<String> filed = send(gateway.gateway, "POST", "/api/v1/appeals", new JsonObject().put("kind", "OWNER")
                    .put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы").put("iin", "850315400124")
                    .put("email", "owner@example.kz").put("language", "kk").put("resource", resource)
                    .put("directiveNumber", resource.equals("site1.kz") ? "D-1" : "D-2")
                    .put("links", new io.vertx.core.json.JsonArray().add("https://" + resource + "/removed")).encode()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/json");
            assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        }
        cookie = gateway.signIn(gateway.official("watcher", OfficialRole.AUDITOR));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theCardsAndTheChartOfDirectivesPerDayCountWhatTheDatabaseHolds() throws Exception {
        // One instant for both sides, so that Almaty's midnight cannot fall between them.
        Instant now = Instant.now();
        ConsoleData.Today today = data(java.time.Clock.fixed(now, WorkingCalendar.ALMATY)).today();
        LocalDate day = LocalDate.ofInstant(now, WorkingCalendar.ALMATY);
        long inDatabase = count("SELECT COUNT(*) FROM directive");
        assertThat(inDatabase).isEqualTo(7);
        assertThat(today.directivesToday()).isEqualTo(countSince(day.atStartOfDay(WorkingCalendar.ALMATY).toInstant()));
        assertThat(today.directivesThisMonth()).isEqualTo(countSince(day.withDayOfMonth(1)
                .atStartOfDay(WorkingCalendar.ALMATY).toInstant()));
        assertThat(today.directivesPerDay()).hasSize(ConsoleData.DAYS);
        assertThat(today.directivesPerDay().get(ConsoleData.DAYS - 1).label()).isEqualTo(day.toString());
        for (ConsoleData.Bar bar : today.directivesPerDay()) {
            LocalDate date = LocalDate.parse(bar.label());
            assertThat(bar.value()).as(bar.label()).isEqualTo(countSince(date.atStartOfDay(WorkingCalendar.ALMATY).toInstant())
                    - countSince(date.plusDays(1).atStartOfDay(WorkingCalendar.ALMATY).toInstant()));
        }

        // The page draws thirty days' bars holding every directive.
        String page = send(gateway.gateway, "GET", "/console", new byte[0], "Cookie", cookie).body();
        String firstChart = page.substring(page.indexOf("<figure>"), page.indexOf("</figure>"));
        List<Long> drawn = new ArrayList<>();
        Matcher bars = Pattern.compile("data-label=\"\\d{4}-\\d\\d-\\d\\d\" data-value=\"(\\d+)\"").matcher(firstChart);
        while (bars.find()) {
            drawn.add(Long.parseLong(bars.group(1)));
        }
        assertThat(drawn).hasSize(ConsoleData.DAYS);
        assertThat(drawn.stream().mapToLong(Long::longValue).sum()).isEqualTo(inDatabase);
    }

    @Test
    void theAppealsChartCountsTheUndecidedAppealsByTheirDeadlines() throws Exception {
        Instant now = Instant.now();
        ConsoleData.Today today = data(java.time.Clock.fixed(now, WorkingCalendar.ALMATY)).today();
        java.util.Map<String, Long> expected = new java.util.LinkedHashMap<>();
        try (Connection connection = gateway.gateway.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT deadline FROM appeal WHERE status IN ('REGISTERED', 'MONITORING', 'NEEDS_MATCHING')");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                java.time.OffsetDateTime deadline = rows.getObject(1, java.time.OffsetDateTime.class);
                long days = deadline == null ? -1 : Duration.between(now, deadline.toInstant()).toDays();
                String bucket = deadline == null ? "pending" : deadline.toInstant().isBefore(now) ? "overdue"
                        : days <= 2 ? "0-2" : days <= 5 ? "3-5" : days <= 10 ? "6-10" : "11+";
                expected.merge(bucket, 1L, Long::sum);
            }
        }
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        for (ConsoleData.Bar bar : today.appealsByDaysLeft()) {
            assertThat(bar.value()).as(bar.label()).isEqualTo(expected.getOrDefault(bar.label(), 0L));
        }
    }

    @Test
    void theOutcomeChartAndTheWeeklyLatencyChartsAreTheDatabases() throws Exception {
        Instant now = Instant.now();
        ConsoleData.Today today = data(java.time.Clock.fixed(now, WorkingCalendar.ALMATY)).today();
        for (ConsoleData.Bar bar : today.appealsByOutcome()) {
            assertThat(bar.value()).as(bar.label()).isEqualTo(count("SELECT COUNT(*) FROM appeal WHERE status = '"
                    + bar.label() + "'"));
        }
        assertThat(today.appealsByOutcome().stream().mapToLong(ConsoleData.Bar::value).sum()).isEqualTo(2);

        // Only the recipient that acknowledged has a chart; this week's bar is its median, in seconds.
        assertThat(today.latencyByWeek()).containsOnlyKeys("quick");
        List<ConsoleData.Bar> weeks = today.latencyByWeek().get("quick");
        assertThat(weeks).hasSize(ConsoleData.WEEKS);
        List<Long> seconds = new ArrayList<>();
        LocalDate monday = LocalDate.ofInstant(now, WorkingCalendar.ALMATY).with(java.time.DayOfWeek.MONDAY);
        try (Connection connection = gateway.gateway.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT r.received_at, d.acknowledged_at FROM delivery d JOIN directive r ON r.id = d.directive_id
                     WHERE d.recipient_id = 'quick' AND d.acknowledged_at >= ?""")) {
            select.setTimestamp(1, java.sql.Timestamp.from(monday.atStartOfDay(WorkingCalendar.ALMATY).toInstant()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    seconds.add(Duration.between(rows.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                            rows.getObject(2, java.time.OffsetDateTime.class).toInstant()).toSeconds());
                }
            }
        }
        Collections.sort(seconds);
        assertThat(weeks.get(ConsoleData.WEEKS - 1)).isEqualTo(new ConsoleData.Bar(monday.toString(),
                seconds.isEmpty() ? 0 : seconds.get((int) Math.ceil(seconds.size() / 2.0) - 1)));
        assertThat(weeks.subList(0, ConsoleData.WEEKS - 1).stream().mapToLong(ConsoleData.Bar::value).sum())
                .as("nothing acknowledged in the weeks before").isZero();
    }

    @Test
    void eachRecipientsLatencyAndOverdueCountAreTheDatabases() throws Exception {
        List<Duration> latencies = new ArrayList<>();
        try (Connection connection = gateway.gateway.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT r.received_at, d.acknowledged_at FROM delivery d JOIN directive r ON r.id = d.directive_id
                     WHERE d.recipient_id = 'quick' AND d.acknowledged_at IS NOT NULL""");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                latencies.add(Duration.between(rows.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                        rows.getObject(2, java.time.OffsetDateTime.class).toInstant()));
            }
        }
        Collections.sort(latencies);
        assertThat(latencies).hasSize(5);
        ConsoleData.RecipientPicture quick = picture("quick");
        assertThat(quick.acknowledged()).isEqualTo(5);
        assertThat(quick.median()).isEqualTo(latencies.get(2));
        assertThat(quick.p95()).isEqualTo(latencies.get(4));
        assertThat(quick.worst()).isEqualTo(latencies.get(4));
        ConsoleData.RecipientPicture silent = picture("silent");
        assertThat(silent.acknowledged()).isZero();
        assertThat(silent.median()).isNull();

        // Overdue once the window has passed: the same deliveries, looked at a day later.
        ConsoleData later = new ConsoleData(gateway.gateway.database(), java.time.Clock.offset(java.time.Clock.systemUTC(),
                Duration.ofDays(1)), Duration.ofHours(24).minusMinutes(1), Duration.ofMinutes(30), null,
                ConsoleData.Operations.NONE);
        assertThat(later.today().recipients()).filteredOn(r -> r.id().equals("silent")).singleElement()
                .satisfies(r -> assertThat(r.overdueNow()).isEqualTo(count(
                        "SELECT COUNT(*) FROM delivery WHERE recipient_id = 'silent' AND acknowledged_at IS NULL")));
        assertThat(later.today().recipients()).filteredOn(r -> r.id().equals("quick")).singleElement()
                .satisfies(r -> assertThat(r.overdueNow()).isEqualTo(2));
        assertThat(picture("silent").overdueNow()).as("not yet, today").isZero();
    }

    @Test
    void eachOperatorsOwnPageListsWhatItHasNotAcknowledgedAndNothingOfTheOther() throws Exception {
        HttpResponse<String> quickPage = send(gateway.gateway, "GET", "/operator", new byte[0], "Authorization", "Bearer " + quick);
        assertThat(quickPage.statusCode()).isEqualTo(200);
        assertThat(directivesListed(quickPage.body())).containsExactly("D-6", "D-7");
        assertThat(quickPage.body()).doesNotContain("silent");
        String silentPage = send(gateway.gateway, "GET", "/operator", new byte[0], "Authorization", "Bearer " + silent).body();
        assertThat(directivesListed(silentPage)).containsExactly("D-1", "D-2", "D-3", "D-4", "D-5", "D-6", "D-7");
        assertThat(silentPage).contains("id=\"receipt\"").doesNotContain("quick");
    }

    private static List<String> directivesListed(String page) {
        List<String> listed = new ArrayList<>();
        Matcher rows = Pattern.compile("<tr data-directive=\"([^\"]+)\"").matcher(page);
        while (rows.find()) {
            listed.add(rows.group(1));
        }
        return listed;
    }

    @Test
    void theNodeLagChartAndTheAlarmsFollowTheNodesReceipts() throws Exception {
        ConsoleData.Operations two = new ConsoleData.Operations() {
            @Override
            public List<ConsoleData.NodePicture> nodes() {
                return List.of(new ConsoleData.NodePicture("n1", "OK", 7, 0), new ConsoleData.NodePicture("n2", "STALE", 4, 3));
            }

            @Override
            public java.util.Map<String, String> alarms() {
                return java.util.Map.of("calendar", "no data for 2028");
            }
        };
        ConsoleData.Today today = new ConsoleData(gateway.gateway.database(), java.time.Clock.systemUTC(),
                DeliverySettings.defaults().restrictAckWindow(), DeliverySettings.defaults().restoreAckWindow(), null, two).today();
        assertThat(today.nodeLag()).containsExactly(new ConsoleData.Bar("n1", 0), new ConsoleData.Bar("n2", 3));
        assertThat(today.alarms()).containsExactly("calendar: no data for 2028", "node n2: STALE");
    }

    @Test
    void percentilesAreByNearestRank() {
        List<Duration> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(Duration.ofSeconds(i));
        }
        assertThat(ConsoleData.percentile(ten, 50)).isEqualTo(Duration.ofSeconds(5));
        assertThat(ConsoleData.percentile(ten, 95)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ConsoleData.percentile(List.of(Duration.ofSeconds(3)), 95)).isEqualTo(Duration.ofSeconds(3));
        assertThat(ConsoleData.percentile(List.of(), 50)).isNull();
    }

    private static ConsoleData data() {
        return data(java.time.Clock.systemUTC());
    }

    private static ConsoleData data(java.time.Clock clock) {
        return new ConsoleData(gateway.gateway.database(), clock,
                DeliverySettings.defaults().restrictAckWindow(), DeliverySettings.defaults().restoreAckWindow(), null,
                ConsoleData.Operations.NONE);
    }

    private static ConsoleData.RecipientPicture picture(String id) throws Exception {
        return data().today().recipients().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static long countSince(Instant from) throws Exception {
        try (Connection connection = gateway.gateway.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM directive WHERE received_at >= ?")) {
            select.setTimestamp(1, java.sql.Timestamp.from(from));
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = gateway.gateway.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
